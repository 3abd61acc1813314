/* facts_fixture: the cmocka group fixture shared by the facts and numbers tests: the
 * embedded indicator rules compiled once, and one facts scanner over them.
 * Included by one test file each (its static state is that file's). */
#ifndef LXM_TEST_FACTS_FIXTURE_H
#define LXM_TEST_FACTS_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>
#include "lxm_data.h"
#include "lxm_facts.h"

static lxm_rules_t *s_rules;
static lxm_facts_t *s_facts;

static int s_setup(void **state)
{
    (void) state;
    size_t len;
    const char *text = lxm_data_get("indicators.rules", &len);
    char *error = NULL;
    s_rules = text ? lxm_rules_load(text, len, &error) : NULL;
    if (!s_rules) {
        fprintf(stderr, "rules: %s\n", error ? error : "not embedded");
        free(error);
        return -1;
    }
    s_facts = lxm_facts_new(s_rules);
    return s_facts ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void) state;
    lxm_facts_destroy(&s_facts);
    lxm_rules_destroy(&s_rules);
    return 0;
}

#endif
