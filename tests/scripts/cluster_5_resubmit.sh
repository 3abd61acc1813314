#!/usr/bin/env bash
# cluster_5_resubmit: the same folder submitted twice to one cluster. Checks: the second
# run stores nothing new and says "already stored" for every document that parses (the
# non-reports fail again, with the same files), and the store is unchanged.
. "$(dirname "$0")/../lib/cluster.sh"
cl_setup cluster_5_resubmit
cl_corpus 2000 51
cl_expect
cl_ports
cl_start_collector
cl_start_broker
cl_start_worker worker1
cl_start_worker worker2
cl_submit submit1
cl_wait_pid "$PID_submit1" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "first submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit1.log" "$E_DISTINCT" $((E_PARSED - E_DISTINCT)) "$E_FAILED"
before=$(cl_stored)
cl_log "first run: $before records stored"
cl_submit submit2
cl_wait_pid "$PID_submit2" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "second submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit2.log" 0 "$E_PARSED" "$E_FAILED"
cl_check_failures "$CL_DIR/logs/submit2.log"
after=$(cl_stored)
[ "$after" = "$before" ] || cl_fail "the store grew from $before to $after on a resubmit"
cl_check_export
cl_log "PASS"
