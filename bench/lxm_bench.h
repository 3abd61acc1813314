/* lxm_bench: the `lexmill bench` kinds that measure the store (bench/lxm_bench.c).
 * `bench parse` lives in client/cmd_bench.c; the pipeline, scale and accuracy figures
 * need several processes and are measured by bench/run.sh (`make bench`). */
#ifndef LXM_BENCH_H
#define LXM_BENCH_H

/* `lexmill bench store`: durable group-commit rate vs a plain LMDB loop, same run. */
int lxm_bench_store(int argc, char **argv);
/* `lexmill bench lookup`: get / find latency, in-process and through a collector. */
int lxm_bench_lookup(int argc, char **argv);

#endif
