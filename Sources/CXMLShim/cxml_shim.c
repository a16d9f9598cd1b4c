#include "cxml_shim.h"
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

static const char *refused_dtd = "document type declarations are not accepted";

/* A document under construction: the table, the arena, and the stack of open elements. */
typedef struct {
    cxml_document document;
    int32_t capacity;
    char *arena;
    size_t arena_length, arena_capacity;
    int32_t *open;
    int32_t depth, open_capacity;
    int out_of_memory, saw_dtd;
    xmlParserCtxtPtr parser;
} builder;

static int grow(void **buffer, size_t element_size, size_t needed, size_t *capacity) {
    if (needed <= *capacity) return 1;
    size_t next = *capacity ? *capacity * 2 : 64;
    while (next < needed) next *= 2;
    void *grown = realloc(*buffer, next * element_size);
    if (grown == NULL) return 0;
    *buffer = grown;
    *capacity = next;
    return 1;
}

static int append_bytes(builder *b, const char *bytes, size_t length) {
    if (!grow((void **)&b->arena, 1, b->arena_length + length + 1, &b->arena_capacity)) return 0;
    memcpy(b->arena + b->arena_length, bytes, length);
    b->arena_length += length;
    return 1;
}

static void fail_oom(builder *b) {
    b->out_of_memory = 1;
    if (b->parser) xmlStopParser(b->parser);
}

static void open_element(builder *b, const char *name) {
    size_t cap = (size_t)b->capacity, open_cap = (size_t)b->open_capacity;
    if (!grow((void **)&b->document.elements, sizeof(cxml_element), (size_t)b->document.count + 1, &cap)
        || !grow((void **)&b->open, sizeof(int32_t), (size_t)b->depth + 1, &open_cap)) { fail_oom(b); return; }
    b->capacity = (int32_t)cap; b->open_capacity = (int32_t)open_cap;
    if (b->depth > 0) b->document.elements[b->open[b->depth - 1]].has_children = 1;
    cxml_element *e = &b->document.elements[b->document.count];
    e->name_offset = (int32_t)b->arena_length;
    e->name_length = (int32_t)strlen(name);
    e->text_offset = -1; e->text_length = 0; e->end = -1; e->has_children = 0;
    if (!append_bytes(b, name, (size_t)e->name_length)) { fail_oom(b); return; }
    b->open[b->depth++] = b->document.count++;
}

static void close_element(builder *b) {
    if (b->depth == 0) return;
    b->document.elements[b->open[--b->depth]].end = b->document.count;
}

/* Text of the innermost open element, kept only while it has no child element: an element
   with children has no text of its own, as in the tree. Nothing else is appended to the arena
   while an element stays childless, so its text chunks lie end to end. */
static void add_text(builder *b, const char *text, size_t length) {
    if (b->depth == 0) return;
    cxml_element *e = &b->document.elements[b->open[b->depth - 1]];
    if (e->has_children) return;
    if (e->text_offset < 0) e->text_offset = (int32_t)b->arena_length;
    if (!append_bytes(b, text, length)) { fail_oom(b); return; }
    e->text_length += (int32_t)length;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)prefix; (void)uri; (void)nb_namespaces; (void)namespaces; (void)nb_attributes; (void)nb_defaulted; (void)attributes;
    open_element((builder *)ctx, (const char *)localname);
}
static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)localname; (void)prefix; (void)uri;
    close_element((builder *)ctx);
}
static void on_text(void *ctx, const xmlChar *text, int length) { add_text((builder *)ctx, (const char *)text, (size_t)length); }
static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id) {
    (void)name; (void)external_id; (void)system_id;
    builder *b = (builder *)ctx;
    b->saw_dtd = 1;
    xmlStopParser(b->parser);
}
/* Errors are read from the parser afterwards; nothing is printed. */
static void on_error(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }
/* No entity is ever looked up: predefined ones and character references never reach here,
   and any other is an error. */
static xmlEntityPtr no_entity(void *ctx, const xmlChar *name) { (void)ctx; (void)name; return NULL; }

static void report(const char *message, int line, int *error_line, char *error_message, int error_capacity) {
    *error_line = line;
    if (error_capacity > 0) {
        strncpy(error_message, message, (size_t)error_capacity - 1);
        error_message[error_capacity - 1] = 0;
    }
}

static cxml_document *finish(builder *b) {
    free(b->open);
    b->document.bytes = b->arena;
    cxml_document *document = malloc(sizeof(cxml_document));
    if (document == NULL) { free(b->arena); free(b->document.elements); return NULL; }
    *document = b->document;
    return document;
}

static void discard(builder *b) {
    free(b->open); free(b->arena); free(b->document.elements);
}

cxml_document *cxml_parse_stream(const char *buffer, int length, int *error_line, char *error_message, int error_capacity) {
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_dtd;
    sax.getEntity = no_entity;
    sax.serror = on_error;

    builder b;
    memset(&b, 0, sizeof b);
    xmlParserCtxtPtr parser = xmlCreateMemoryParserCtxt(buffer, length);
    if (parser == NULL) { report("empty or unreadable body", 0, error_line, error_message, error_capacity); return NULL; }
    xmlCtxtUseOptions(parser, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlSAXHandlerPtr defaults = parser->sax;
    parser->sax = &sax;
    parser->userData = &b;
    b.parser = parser;
    xmlParseDocument(parser);
    int well_formed = parser->wellFormed;
    const char *message = parser->lastError.message ? parser->lastError.message : "not well-formed";
    int line = parser->lastError.line;
    cxml_document *document = NULL;
    if (b.saw_dtd) {
        report(refused_dtd, 1, error_line, error_message, error_capacity);
    } else if (b.out_of_memory) {
        report("out of memory", line, error_line, error_message, error_capacity);
    } else if (!well_formed || b.document.count == 0 || b.depth != 0) {
        report(message, line, error_line, error_message, error_capacity);
    } else {
        document = finish(&b);
    }
    if (document == NULL) discard(&b);
    parser->sax = defaults;
    parser->userData = parser;
    if (parser->myDoc) xmlFreeDoc(parser->myDoc);
    xmlFreeParserCtxt(parser);
    return document;
}

static void flatten(builder *b, xmlNodePtr element) {
    open_element(b, element->name ? (const char *)element->name : "");
    for (xmlNodePtr child = element->children; child != NULL && !b->out_of_memory; child = child->next) {
        if (child->type == XML_ELEMENT_NODE) flatten(b, child);
        else if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) && child->content)
            add_text(b, (const char *)child->content, strlen((const char *)child->content));
    }
    close_element(b);
}

cxml_document *cxml_parse_tree(const char *buffer, int length, int *error_line, char *error_message, int error_capacity) {
    int options = XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlResetLastError();
    xmlDocPtr doc = xmlReadMemory(buffer, length, "response.xml", NULL, options);
    if (doc == NULL) {
        xmlErrorPtr err = xmlGetLastError();
        report((err && err->message) ? err->message : "empty or unreadable body", err ? err->line : 0,
               error_line, error_message, error_capacity);
        return NULL;
    }
    cxml_document *document = NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (doc->intSubset != NULL) {
        report(refused_dtd, 1, error_line, error_message, error_capacity);
    } else if (root == NULL) {
        report("no root element", 1, error_line, error_message, error_capacity);
    } else {
        builder b;
        memset(&b, 0, sizeof b);
        flatten(&b, root);
        if (b.out_of_memory) { discard(&b); report("out of memory", 0, error_line, error_message, error_capacity); }
        else document = finish(&b);
    }
    xmlFreeDoc(doc);
    return document;
}

void cxml_document_free(cxml_document *document) {
    if (document == NULL) return;
    free((void *)document->bytes);
    free(document->elements);
    free(document);
}
