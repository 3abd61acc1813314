#!/usr/bin/env bash
# cluster_3_kill_collector: as cluster_1_basic, with the collector killed -9 after ~20%
# are stored and restarted on the same store; workers must re-send unanswered STOREs.
# Checks: every document is stored or failed as `lexmill parse` says, none twice (export
# lines = distinct ids = distinct contents; summary counts exact).
. "$(dirname "$0")/../lib/cluster.sh"
cl_setup cluster_3_kill_collector
cl_corpus 2000 31
cl_expect
cl_ports
cl_start_collector
cl_start_broker
cl_start_worker worker1
cl_start_worker worker2
cl_submit submit
cl_kill_mid collector
sleep 0.5
cl_start_collector collector2
cl_log "collector restarted on the same store"
cl_wait_pid "$PID_submit" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit.log" "$E_DISTINCT" $((E_PARSED - E_DISTINCT)) "$E_FAILED"
cl_check_failures "$CL_DIR/logs/submit.log"
cl_check_export
cl_stop worker1; cl_stop worker2 # their exit line counts the STOREs they re-sent
cl_evidence "worker re-sent unanswered STOREs" "resends [1-9]" "$CL_DIR"/logs/worker*.log
cl_log "throughput with the kill: $(cl_rate "$CL_DIR/logs/submit.log")"
cl_log "PASS"
