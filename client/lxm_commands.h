/* lxm_commands: the subcommands of `lexmill`, one function each, in its own file.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and
 * returns the process exit status: 0 success, 1 the work had failures (e.g. a document
 * failed), 2 usage error. Each prints --help. They are declared weak so the program
 * builds while a command is still being written; main() reports one that is missing. */
#ifndef LXM_COMMANDS_H
#define LXM_COMMANDS_H

#define LXM_VERSION "0.1.0"

typedef int (lxm_command_fn)(int argc, char **argv);

lxm_command_fn lxm_cmd_broker __attribute__((weak));    /* broker/     */
lxm_command_fn lxm_cmd_worker __attribute__((weak));    /* worker/     */
lxm_command_fn lxm_cmd_collector __attribute__((weak)); /* collector/  */
lxm_command_fn lxm_cmd_submit __attribute__((weak));    /* client/cmd_submit.c */
lxm_command_fn lxm_cmd_get __attribute__((weak));       /* client/cmd_query.c  */
lxm_command_fn lxm_cmd_find __attribute__((weak));
lxm_command_fn lxm_cmd_export __attribute__((weak));
lxm_command_fn lxm_cmd_follow __attribute__((weak));
lxm_command_fn lxm_cmd_status __attribute__((weak));
lxm_command_fn lxm_cmd_run __attribute__((weak));       /* client/cmd_run.c    */
lxm_command_fn lxm_cmd_parse __attribute__((weak));     /* client/cmd_parse.c  */
lxm_command_fn lxm_cmd_gen __attribute__((weak));       /* gen/                */
lxm_command_fn lxm_cmd_bench __attribute__((weak));     /* bench/ + client/cmd_bench.c */

#endif
