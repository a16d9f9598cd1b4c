#include "cre2_shim.h"

#include <cstdlib>
#include <cstring>
#include <re2/re2.h>

struct cre2_regex {
    re2::RE2 re;
    cre2_regex(const re2::StringPiece &pattern, const re2::RE2::Options &options) : re(pattern, options) {}
};

static char *copy_message(const std::string &message) {
    char *out = static_cast<char *>(std::malloc(message.size() + 1));
    if (out) std::memcpy(out, message.c_str(), message.size() + 1);
    return out;
}

extern "C" cre2_regex *cre2_compile(const char *pattern, size_t length, char **error) {
    *error = nullptr;
    re2::RE2::Options options;
    options.set_encoding(re2::RE2::Options::EncodingUTF8);
    options.set_log_errors(false);   // the error goes back to the policy loader, not to stderr
    options.set_never_capture(true); // the check asks only whether a value matches
    // No exception may unwind into Swift: allocation failure is reported as a NULL error.
    try {
        cre2_regex *regex = new cre2_regex(re2::StringPiece(pattern, length), options);
        if (!regex->re.ok()) {
            *error = copy_message(regex->re.error());
            delete regex;
            return nullptr;
        }
        return regex;
    } catch (...) {
        return nullptr;
    }
}

extern "C" int cre2_search(const cre2_regex *regex, const char *text, size_t length) {
    try {
        return re2::RE2::PartialMatch(re2::StringPiece(text, length), regex->re) ? 1 : 0;
    } catch (...) {
        return -1;
    }
}

extern "C" void cre2_free(cre2_regex *regex) { delete regex; }

extern "C" void cre2_free_error(char *error) { std::free(error); }
