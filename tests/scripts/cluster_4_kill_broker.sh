#!/usr/bin/env bash
# cluster_4_kill_broker: as cluster_1_basic, with the broker killed -9 after ~20% are
# stored and restarted on the same endpoints; the client must resubmit and workers re-
# announce.
# Checks: every document is stored or failed as `lexmill parse` says, none twice (export
# lines = distinct ids = distinct contents; summary counts exact).
. "$(dirname "$0")/../lib/cluster.sh"
cl_setup cluster_4_kill_broker
cl_corpus 2000 41
cl_expect
cl_ports
cl_start_collector
cl_start_broker
cl_start_worker worker1
cl_start_worker worker2
cl_submit submit
cl_kill_mid broker
sleep 0.5
cl_start_broker broker2
cl_log "broker restarted on the same endpoints"
cl_wait_pid "$PID_submit" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit.log" "$E_DISTINCT" $((E_PARSED - E_DISTINCT)) "$E_FAILED"
cl_check_failures "$CL_DIR/logs/submit.log"
cl_check_export
cl_evidence "client resent its unresolved documents" "resending [1-9]" "$CL_DIR/logs/submit.log"
# the submit was still waiting when the broker died, so it must have resent
[ "$CL_EVIDENCE" -gt 0 ] || cl_fail "the client never resent after the broker restart"
cl_log "throughput with the kill: $(cl_rate "$CL_DIR/logs/submit.log")"
cl_log "PASS"
