/* lxm_data: name -> embedded blob. */
#include <string.h>
#include "lxm_data.h"

#define DECLARE(sym) extern const char sym##_start[], sym##_end[]
DECLARE(lxm_blob_streets);
DECLARE(lxm_blob_areas);
DECLARE(lxm_blob_cities);
DECLARE(lxm_blob_provinces);
DECLARE(lxm_blob_rules);

typedef struct {
    const char *name;  /* file name the callers ask for */
    const char *start; /* first byte */
    const char *end;   /* one past the last byte (a NUL follows) */
} blob_t;

const char *lxm_data_get(const char *name, size_t *len)
{
    const blob_t blobs[] = {
        {"streets.csv", lxm_blob_streets_start, lxm_blob_streets_end},
        {"areas.csv", lxm_blob_areas_start, lxm_blob_areas_end},
        {"cities.csv", lxm_blob_cities_start, lxm_blob_cities_end},
        {"provinces.csv", lxm_blob_provinces_start, lxm_blob_provinces_end},
        {"indicators.rules", lxm_blob_rules_start, lxm_blob_rules_end},
    };
    for (size_t i = 0; i < sizeof blobs / sizeof blobs[0]; i++)
        if (strcmp(blobs[i].name, name) == 0) {
            if (len)
                *len = (size_t)(blobs[i].end - blobs[i].start);
            return blobs[i].start;
        }
    return NULL;
}
