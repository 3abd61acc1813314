#!/usr/bin/env bash
# cluster_2_kill_worker: as cluster_1_basic, with one worker killed -9 after ~20% of the
# documents are stored; the broker must requeue its jobs to the other worker.
# Checks: every document is stored or failed as `lexmill parse` says, none twice (export
# lines = distinct ids = distinct contents; summary counts exact).
. "$(dirname "$0")/../lib/cluster.sh"
cl_setup cluster_2_kill_worker
cl_corpus 2000 21
cl_expect
cl_ports
cl_start_collector
cl_start_broker
cl_start_worker worker1
cl_start_worker worker2
cl_submit submit
cl_kill_mid worker1

cl_wait_pid "$PID_submit" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit.log" "$E_DISTINCT" $((E_PARSED - E_DISTINCT)) "$E_FAILED"
cl_check_failures "$CL_DIR/logs/submit.log"
cl_check_export
cl_evidence "broker requeued the dead worker's jobs" "requeueing its [1-9]" "$CL_DIR/logs/broker.log"
cl_log "throughput with the kill: $(cl_rate "$CL_DIR/logs/submit.log")"
cl_log "PASS"
