# The course's sentences, in English (src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons.ftl (a test checks).
# One section per part of the course; add a message in the section of the code that says it.

language-name = English

## Values: what a bad flag value is told (src/flags.rs)

value-seconds = expected a number of seconds from { $shortest } to { $longest }, like 2 or 0.5
# `never` is a value typed on the command line: the same word in every language.
value-or-never = { $sentence }, or never
value-size = expected a size like 1048576, 64K, 512M or 1G (1K = 1024 bytes)
value-addr = expected HOST:PORT, like 127.0.0.1:8001 ({ $error })
value-addr-resolves-to-nothing = { $text } resolves to no address
value-unix-needs-a-path = unix: needs a path, as in unix:/tmp/lesson.sock
value-count = expected a whole number from { $min } to { $max }
value-folder-but = expected a path to a folder (made if missing), but this is { $kind }
value-socket-path-too-long = expected a path for a Unix socket, at most { $max } bytes long (this one has { $length })
value-path-empty = expected a path, not nothing
kind-folder = a folder
kind-regular-file = a regular file
kind-symbolic-link = a symbolic link
kind-socket = a socket
kind-fifo = a FIFO (named pipe)
kind-device = a device
kind-other = neither a file nor a folder

## Servers and clients: errors, warnings and notices (src/server.rs, src/lessons/, src/files/ ...)

room-hung-up-on-us = the room hung up on us: { $why }
# After `WARNING --shell: `, which stays as it is.
commands-shell-warning = every client that can reach { $addr } may now run ANY command on this machine, as this user. Use it only on a machine and network you trust.
guard-cannot-hold-one = --max-clients: this process cannot hold a single client thread: { $limit }
# After `warning: --max-clients N lowered to M`, which stays as it is.
guard-cap-lowered = , what this process can hold: { $limit }
# After `busy: `, which stays as it is: clients match on it.
guard-busy = the server is serving as many clients as it can; try again later
client-reply-damaged = the reply is damaged: its md5 is { $actual }, but the header said { $expected }

## The chat room's wire (src/room.rs): what members hear

room-name-invalid = a name is 1 to { $max } letters or digits, in any script
room-name-taken = the name { $name } is taken; choose another
room-closing = the room is closing
room-busy = the server cannot take another member now; try later
room-present = * in the room: { $names }
room-nobody-else = nobody else yet
room-names-separator = {", "}
room-joined = * { $name } joined
room-left = * { $name } left
room-left-stopped-reading = * { $name } left (it stopped reading)
room-closing-notice = * the server is shutting down: goodbye
# After `error: `, which stays as it is in every language: clients read it.
room-stopped-reading = you stopped reading, so the room went on without you
line-too-long = a line is longer than { $max } bytes
line-not-utf8 = a line is not UTF-8 text

## The course map (src/course.rs): what `cargo run` prints
course-map-heading = socket-lessons: a classic Python socket tutorial series, rebuilt step by step in Rust.
course-map-lesson = { $title } ({ $step })
course-map-start = Start with the first lesson's demo:   cargo run --bin { $first }
course-map-then = Then its server and client, in two terminals:
course-map-chapters = Each lesson's chapter is in lessons/ (start at lessons/README.md).

## The menu robot's wire (src/menu.rs): what callers hear

# The tutorial's 10086 robot speaks Chinese in both courses: these are the tutorial's words, byte
# for byte (src/menu.rs holds the English course to them), and the Chinese catalogue says the
# same, so that a student comparing our robot with the tutorial's Python one hears the same bytes.
menu-welcome = 欢迎致电 10086,请输入1xxx,0转人工服务.
menu-queries = 自助查询: 1 话费余额, 2 流量, 3 套餐, * 返回主菜单.
menu-operator = 您的通话可能会被录音. 客服为您服务, 请讲 (* 返回主菜单).
menu-try-again = 请重新输入.
menu-goodbye = 感谢您的来电, 再见.
menu-closing = 系统维护中, 本次通话结束, 再见.
menu-balance = 您的话费余额为 52.30 元.
menu-data = 本月已用流量 3.2 GB, 剩余 6.8 GB.
menu-plan = 您的套餐: 畅享套餐 58 元/月, 含 10 GB 流量, 300 分钟通话.
menu-noted = 已记录您的问题: { $words }. 还有别的吗? (* 返回主菜单)
menu-idle = 您已 { $seconds } 秒没有输入, 本次通话结束, 再见.

## Frames (src/frame/): what a peer is told in an `error` header field before we hang up. The
## server's log says the same in English (FrameError's Display), whatever the language.

frame-io = I/O error while reading a frame: { $why }
frame-header-too-long = the header length prefix says { $len } bytes, over the { $limit }-byte header limit
frame-body-too-large = the peer announced a { $size }-byte body, over the { $limit }-byte limit
frame-header-not-utf8 = the header is not valid UTF-8 text
frame-header-not-json = the header is not valid header JSON: { $why }
frame-header-not-object = the header is JSON but not an object; expected something like {"{"}"total_size": 5{"}"}
frame-missing-total-size = the header has no "total_size" field holding a non-negative whole number
frame-ended-mid-frame = the connection ended in the middle of a frame: expected { $expected } bytes of { $what }, received only { $received }
frame-part-header-length = header length
frame-part-header = header
frame-part-body = body
frame-part-length-prefix = length prefix
frame-md5 = the request's md5 is { $actual }

## Files (src/files/): lesson 8's refusals, sent in an `error` reply and printed by its client
## after `error: `. The server's log says them in English (Refused's Display).

files-name-empty = the name is empty
files-name-has-nul = a name may not contain a NUL byte
files-name-has-backslash = a name uses / between folders, never \
files-name-absolute = a name must be relative to the served folder
files-name-has-empty-part = a name is plain names separated by single slashes: no empty part, no / at its start or end
files-name-has-dot = a name may not contain `.`: it names no file
files-name-has-dot-dot = a name may not contain `..`: it would leave the folder
files-name-hidden = a name may not start with a dot (hidden files)
files-name-part-too-long = a part of a name is at most { $max } bytes long, and this one has { $bytes }: a file is received under a longer, temporary name beside it, and the system allows 255
files-name-names-no-file = the name names no file
files-no-such-folder = no such folder on the server
files-leads-outside = the name leads outside the served folder
files-no-such-file = no such file: { $name }
files-cannot-open = cannot open { $name }: { $why }
files-cannot-read = cannot read { $name }: { $why }
files-not-a-regular-file = { $name } is { $kind }, not a regular file: only regular files are served
files-kind-named-pipe = a named pipe (FIFO)
files-kind-socket = a socket
files-kind-device = a device
files-kind-folder = a folder
files-kind-other = something else
files-is-a-folder = { $name } is a folder
# `lesson8 client put --force` is a command line: the same in every language.
files-exists-on-server = { $name } exists on the server; lesson8 client put --force replaces it
files-cannot-store = cannot store { $name }: { $why }
files-no-filename = the request has no "filename"
files-body-not-put = only a put has a body; this { $action } request has { $bytes } bytes
# What files-body-not-put says for a request with no action.
files-unnamed-action = unnamed
files-put-without-md5 = a put carries the md5 of its body in the header; this one has none
files-unknown-action = unknown action { $action }: the actions are get, put and list
files-no-action = the request has no "action" (get, put or list)
files-md5-mismatch = { $name }: the md5 of what arrived is { $actual }, but the header said { $expected }; nothing was kept
files-md5-absent = { $name }: the header carries no md5 to check the file with; nothing was kept
# The server's own sentence follows, in the server's language, as it came.
files-server-refused = the server refused: { $said }
files-names-no-file = { $name } names no file
files-download-name-too-long = { $path }: the file name is { $bytes } bytes long; this client writes names of at most { $max } (the download goes first under a longer, temporary name); -o PATH writes it under another
files-exists-here = { $path } exists here; not overwriting it (move it away first; on the command line, --force replaces it and -o PATH writes elsewhere)
files-path-names-no-file = { $path } names no file; use --as NAME
files-listing-damaged = the listing arrived damaged (its md5 does not match)
files-listing-not-json = the listing is not what lesson8 sends: { $why }
# A typed line that is not a command gets this; the commands are the same in every language.
files-typed-usage = type `get NAME`, `put PATH`, `list`, or `q` to quit
# A size under 1 KiB (larger ones are `1.50 KiB`, `476.84 MiB` in every language).
files-size-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
files-got = got { $name } ({ $size }, md5 { $md5 } checked) -> { $path }
files-stored = stored { $name } ({ $size }, md5 { $md5 } checked by the server)
files-no-files = (no files)
# The tail of peer text cut short (src/escape.rs): how long it was. It follows the closing quote.
peer-text-cut = … ({ $bytes } bytes)
# The server went away in the middle of a request: the client's session is over.
files-server-hung-up = the server closed the connection
files-server-hung-up-mid-transfer = { $name }: the server closed the connection mid-transfer, after { $received } of { $expected } bytes; nothing was kept
# After `--root DIR: `, when the folder cannot be served.
files-root-permission-denied = permission denied: this user may not make or read that folder
files-root-in-the-way = a file is in the way: the path must lead through folders to a folder

## The command service (src/commands.rs): the replies of lessons 5 and 6. The command names
## (help, echo, seq), `error: ` and `seq: ` are the same in every language.

commands-help =
    commands:
      help          this list
      echo TEXT...  prints TEXT
      seq N         prints the numbers 1 to N, one per line (N up to { $max })
    Only these run here; other commands (ls, dir, ...) need a server started with --shell.
commands-not-utf8 = error: the command is not UTF-8 text; try 'help'
commands-empty = error: empty command; try 'help'
commands-seq-usage = seq: expected one number, as in 'seq 10'
# How commands-unknown begins: `grade` knows a command service by it, in either language.
commands-unknown-opening = unknown command
commands-unknown = { commands-unknown-opening } '{ $command }': this server runs only help, echo and seq (any command only when started with --shell); try 'help'
commands-seq-too-large = seq: { $n } is too large; the most is { $max }
commands-seq-not-a-number = seq: '{ $n }' is not a whole number
commands-shell-failed = error: cannot run the shell: { $why }
