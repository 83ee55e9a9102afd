# The tools' sentences, in English (tools/src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons_tools.ftl (a test checks).
# One section per tool; add a message in the section of the code that says it.

tools-language-name = English

## The lesson command line (src/cli.rs): --help, status lines, errors

cli-help-lang = The language to speak: en (English) or zh (简体中文). Without it, the locale decides (LANG=zh_CN.UTF-8 speaks Chinese), else English
cli-ctrl-c-failed = cannot install Ctrl-C handler: { $error }
cli-second-ctrl-c = second Ctrl-C: the graceful stop has not finished; exiting now without waiting for it
cli-no-server = { $bin } has no server; run its demo: { $bin }
cli-no-client = { $bin } has no client
cli-udp-not-a-path = a UDP server listens on an address, not a path
# $listening is `listening on ADDR`, the same in every language: scripts read the address from it.
cli-server-listening = { $bin } server (Ctrl-C stops it) { $listening }
cli-server-stopped = { $bin } server stopped
cli-cannot-listen-time-wait = cannot listen on { $at }: the address is already in use: another server is running there, or (with --no-reuse-address) a connection that just closed still holds the port in TIME_WAIT; wait a minute, or drop --no-reuse-address (`{ $bin } demo --part 1` shows why)
cli-cannot-listen-in-use = cannot listen on { $at }: the address is already in use. Another server is probably still running there (an earlier `{ $bin } server`?): stop it with Ctrl-C, or pick another address with --addr HOST:PORT
cli-cannot-listen = cannot listen on { $at }: { $error }
cli-cannot-listen-socket-in-use = cannot listen on { $at }: another server is listening on that socket (an earlier `{ $bin } server --unix { $path }`?): stop it with Ctrl-C, or choose another path with --unix PATH
cli-cannot-listen-not-a-socket = cannot listen on { $at }: that path is { $kind }, not a socket: remove it, or choose another path with --unix PATH
cli-cannot-listen-no-folder = cannot listen on { $at }: the folder { $folder } does not exist
cli-cannot-listen-permission = cannot listen on { $at }: permission denied: this user may not make a socket in { $folder }
cli-start-first = Start the server first: cargo run --bin { $bin } -- server{ $start }
cli-cannot-connect-not-a-socket = cannot connect to { $to }: that path is { $kind }, not a socket
cli-cannot-connect-nothing-listening = cannot connect to { $to }: nothing is listening there. { $start_first }
cli-cannot-connect-no-socket = cannot connect to { $to }: there is no socket at that path. { $start_first }
cli-cannot-connect-permission = cannot connect to { $to }: permission denied: this user may not use that socket
cli-client-server-silent = { $bin } client ({ $to }): the server said nothing for { $seconds } s
cli-client-server-closed = { $bin } client ({ $to }): the server closed the connection
cli-client-not-a-frame = { $bin } client ({ $to }): the reply is not a { $bin } frame ({ $error }): is this a { $bin } server?
cli-client-not-a-frame-wire = { $bin } client ({ $to }): the reply is not a { $bin } frame ({ $error }): is this a { $bin } server, on the same --wire?
cli-interrupted-removed = interrupted: removed the unfinished { $path }

## The demos (src/demo/): narration, pictures' captions, the step prompt

## grade (src/grade/): case titles, verdicts, hints, the report

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
