#ifndef CXML_SHIM_H
#define CXML_SHIM_H
#include <stdint.h>
/* libxml2's own headers pull in ICU definitions that clash with Foundation's copy, so Swift
   sees only these plain structs and opaque handles. */

/* One element of a parsed document, in document order. Its descendants are the elements
   (index + 1) ..< end, so a reader skips a subtree in one step; names and texts are byte
   ranges of the document's arena. Only an element without child elements keeps its text. */
typedef struct {
    int32_t name_offset, name_length;
    int32_t text_offset, text_length;
    int32_t end;
    int32_t has_children;
} cxml_element;

/* A whole document as a flat element table: no node tree, one arena for every name and text. */
typedef struct {
    cxml_element *elements;
    int32_t count;
    const char *bytes;
} cxml_document;

/* Parses with libxml2's SAX2 interface straight into the table. Refuses any DTD (XXE, billion
   laughs) the moment its declaration starts, and never touches the network. NULL on failure,
   with the first error's line and message. */
cxml_document *cxml_parse_stream(const char *buffer, int length, int *error_line, char *error_message, int error_capacity);
/* The same table built from libxml2's DOM: the reference the streaming parser is checked against. */
cxml_document *cxml_parse_tree(const char *buffer, int length, int *error_line, char *error_message, int error_capacity);
void cxml_document_free(cxml_document *document);
#endif
