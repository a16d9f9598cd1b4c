#ifndef CXML_SHIM_H
#define CXML_SHIM_H
/* libxml2's own headers pull in ICU definitions that clash with Foundation's copy, so Swift
   sees only these opaque handles. */
enum { CXML_ELEMENT = 1, CXML_TEXT = 3, CXML_CDATA = 4 };

void *cxml_parse(const char *buffer, int length, int *error_line, char *error_message, int error_capacity);
void cxml_free(void *doc);
int cxml_has_dtd(void *doc);
void *cxml_root(void *doc);
void *cxml_first_child(void *node);
void *cxml_next(void *node);
int cxml_type(void *node);
const char *cxml_name(void *node);
const char *cxml_content(void *node);
#endif
