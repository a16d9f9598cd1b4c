#ifndef CRE2_SHIM_H
#define CRE2_SHIM_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RE2's API is C++, which Swift on Linux cannot import as amigo builds it: an opaque handle
   and three C functions are all the tags check needs. */
typedef struct cre2_regex cre2_regex;

/* Compiles `pattern` (UTF-8, `length` bytes). NULL when RE2 rejects it; then *error holds
   RE2's message (free it with cre2_free_error), or NULL if memory ran out. */
cre2_regex *cre2_compile(const char *pattern, size_t length, char **error);

/* 1 if `text` contains a match (an unanchored search, as Regex.firstMatch was), 0 if not,
   -1 if RE2 ran out of memory. Time is linear in length: RE2 never backtracks. Safe to call
   from several threads at once. */
int cre2_search(const cre2_regex *regex, const char *text, size_t length);

void cre2_free(cre2_regex *regex);
void cre2_free_error(char *error);

#ifdef __cplusplus
}
#endif
#endif
