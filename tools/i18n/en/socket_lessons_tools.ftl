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
# --help: the lessons' descriptions, found by where they are (tools/src/cli.rs, `in_chinese`). The
# English ones say exactly what the doc comments beside the code say (a test checks); the
# English --help is built from the doc comments themselves.
cli-after-help = With no command, plays the demo (--step and --part pace it). The server and client use --addr (default { $addr }); see `{ $bin } server --help`.
cli-about-lesson1 = Lesson 1: a TCP server that serves one client, one message, then exits.
cli-help-step = Demo: wait for Enter before each part (the prompt is on stderr; the end of input plays the rest through)
cli-help-part = Demo: play part N alone, numbered as the narration numbers them (a demo without numbered parts has one part, 1)
cli-help-html = Demo: also write what it showed (the parts played) as one self-contained page, the byte stream drawn, to FILE; the transcript on stdout stays the same
cli-about-demo = Play the narrated demo: the stage's server and scripted clients in one process (the default)
cli-about-server = Run the stage's server until Ctrl-C. Logs go to stderr (RUST_LOG=warn for fewer)
cli-help-server-addr = Address to listen on. Loopback by default, so only this machine can connect
cli-about-client = Run the stage's client: lines of standard input are messages (from lesson 3 on, every line; `q` quits)
cli-help-client-addr = Address of the server to connect to
cli-about-lesson2 = Lesson 2: the server loops around accept, serving one message per connection.
cli-about-lesson3 = Lesson 3: the server loops around recv, serving one client at a time for as long as it stays.
cli-about-lesson4 = Lesson 4: one thread per client, so every client is served at the same time.
cli-about-lesson5 = Lesson 5: a remote-command server that trusts one recv to be one message: sticky packets (粘包).
cli-help-shell = DANGER: run what clients send through the system shell, as the tutorial does
cli-about-lesson6 = Lesson 6: every message framed by a fixed-size header (报头), so sticky packets cannot happen.
cli-help-wire = framed (ours: every message framed), tutorial (the tutorial's 终极版: bare requests, struct.pack('i') header length, JSON header) or tutorial-basic (its 初级版: bare requests, struct.pack('i') body length)
cli-about-lesson7 = Lesson 7: a UDP echo server: each datagram arrives whole and alone (no 粘包), or not at all.
cli-help-timeout = How long to wait for each reply, in seconds (0.5 is fine); then the client gives up on it
cli-about-lesson8 = Lesson 8: get, put and list files over lesson 6's frame: streamed, md5-checked, atomic, confined to --root.
cli-help-root = The folder to serve (created if missing). No name a client sends leads outside it
cli-help-max-upload = The largest upload accepted, in bytes (K, M and G mean KiB, MiB and GiB); a bigger one is refused from its header, before a byte is stored
cli-about-client-get = Download the file NAME from the server (the md5 is checked before it gets its name)
cli-help-output = Where to write it (default: NAME's last part, in the current folder)
cli-help-client-get-force = Replace a local file of that name
cli-about-client-put = Upload the file at PATH (under its own file name, or --as NAME)
cli-help-client-put-name = The name to store it under on the server
cli-help-client-put-force = Replace a file of that name on the server
cli-about-client-list = List the files the server serves, with their sizes
cli-about-lesson9 = Lesson 9: a chat room: each line a member sends reaches every other member, and one who stops reading cannot stall the room.
cli-help-client-name = Join the room as NAME (1 to 16 letters or digits); without it, the first line you type is your name
cli-about-lesson10 = Lesson 10: the 10086 menu robot: the server speaks first, keeps each caller's place in its menu, and keeps time.
cli-help-lesson10-server-idle = Hang up on a caller who has said nothing for this long, in seconds (0.5 is fine)
cli-help-lesson10-client-timeout = How long to wait for the robot to speak, in seconds (0.5 is fine); then the client gives up
cli-about-lesson11 = Lesson 11: socket options made visible, and lesson 4's echo with a client cap and idle and write timeouts.
cli-help-backlog = How many finished handshakes the kernel queues before we accept them: listen(N) (Linux caps it at net.core.somaxconn); the tutorial's listen(5) is --backlog 5
cli-help-no-reuse-address = Bind without SO_REUSEADDR, as a socket does unless told: restarting right after a stop then fails with 'Address already in use' while old connections sit in TIME_WAIT
cli-help-path = Use the Unix domain socket PATH (AF_UNIX) instead of --addr
cli-help-max-clients = Serve at most N clients at once; the next gets a one-line refusal and is closed. A cap beyond what this process can hold (its ulimit -v, -u, -n) is lowered to fit, with a warning
cli-help-idle = Hang up on a client that sends nothing for SECS seconds (never: wait forever)
cli-help-write-timeout = Hang up on a client that reads nothing of our reply for SECS seconds (never: wait forever)
cli-help-nodelay = Set TCP_NODELAY: send small writes at once instead of holding them back until the previous one is acknowledged (Nagle's algorithm)
cli-about-lesson12 = Lesson 12: a fixed pool of worker threads and a bounded queue: a flood costs no thread each, but N idle clients stall the rest.
cli-help-workers = Serve on N worker threads, started with the server; a client holds one for as long as it stays connected
cli-help-queue = Let N more clients wait for a free worker; the next is told the server is busy, and closed (0: nobody waits)
cli-about-lesson13 = Lesson 13: one thread serves every client: nonblocking sockets, a readiness loop (mio), and per-client buffers for replies not yet written.
cli-demo-flag-conflict = the subcommand '{ $subcommand }' cannot be used with '--{ $flag }'
cli-tip-paces-the-demo = { $flag } paces the demo: `{ $bin } { $example }` (or `{ $bin } demo { $example }`)
cli-tip-draws-the-demo = { $flag } draws the demo: `{ $bin } { $example }` (or `{ $bin } demo { $example }`)

## The demos (src/demo/): narration, pictures' captions, the step prompt

## grade (src/grade/): case titles, verdicts, hints, the report

## compare (src/compare/): rows and cells

## learn (src/learn/): the runner's output

## chaos and netassist (src/chaos/, src/netassist/)

## course (src/bin/course.rs): the course map and reset
