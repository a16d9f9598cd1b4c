#include "cxml_shim.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

void *cxml_parse(const char *buffer, int length, int *error_line, char *error_message, int error_capacity) {
    int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlResetLastError();
    xmlDocPtr doc = xmlReadMemory(buffer, length, "response.xml", NULL, options);
    if (doc == NULL) {
        xmlErrorPtr err = xmlGetLastError();
        *error_line = err ? err->line : 0;
        const char *msg = (err && err->message) ? err->message : "empty or unreadable body";
        if (error_capacity > 0) {
            strncpy(error_message, msg, (size_t)error_capacity - 1);
            error_message[error_capacity - 1] = 0;
        }
    }
    return doc;
}
void cxml_free(void *doc) { xmlFreeDoc((xmlDocPtr)doc); }
int cxml_has_dtd(void *doc) { return ((xmlDocPtr)doc)->intSubset != NULL; }
void *cxml_root(void *doc) { return xmlDocGetRootElement((xmlDocPtr)doc); }
void *cxml_first_child(void *node) { return ((xmlNodePtr)node)->children; }
void *cxml_next(void *node) { return ((xmlNodePtr)node)->next; }
int cxml_type(void *node) { return (int)((xmlNodePtr)node)->type; }
const char *cxml_name(void *node) { return (const char *)((xmlNodePtr)node)->name; }
const char *cxml_content(void *node) { return (const char *)((xmlNodePtr)node)->content; }
