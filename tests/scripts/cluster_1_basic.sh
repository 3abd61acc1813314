#!/usr/bin/env bash
# cluster_1_basic: 1 broker, 2 workers, 1 collector as separate processes on 127.0.0.1;
# 2,000 generated documents are submitted. Checks: the summary counts match what
# `lexmill parse` says of the same files (stored = distinct contents, already stored =
# repeated contents, failed = the non-reports, the same files), the export holds exactly
# one line per distinct content id, and mdb_stat reads the environment.
. "$(dirname "$0")/../lib/cluster.sh"
cl_setup cluster_1_basic
cl_corpus 2000 11
cl_expect
cl_ports
cl_start_collector
cl_start_broker
cl_start_worker worker1
cl_start_worker worker2
cl_submit submit
cl_wait_pid "$PID_submit" 120
[ "$CL_RC" = "$(cl_expect_rc)" ] || cl_fail "submit exited $CL_RC, expected $(cl_expect_rc)"
cl_check_summary "$CL_DIR/logs/submit.log" "$E_DISTINCT" $((E_PARSED - E_DISTINCT)) "$E_FAILED"
cl_check_failures "$CL_DIR/logs/submit.log"
cl_check_export
cl_log "throughput: $(cl_rate "$CL_DIR/logs/submit.log") (1 broker, 2 workers, 1 collector)"
cl_log "PASS"
