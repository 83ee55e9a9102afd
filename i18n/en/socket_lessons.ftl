# The course's sentences, in English (src/i18n.rs). Every message here has its twin, with the
# same id and the same arguments, in ../zh-CN/socket_lessons.ftl (a test checks).
# One section per part of the course; add a message in the section of the code that says it.

language-name = English

## Values: what a bad flag value is told (src/flags.rs)

value-seconds = expected a number of seconds from { $shortest } to { $longest }, like 2 or 0.5
# `never` is a value typed on the command line: the same word in every language.
value-or-never = { $sentence }, or never
value-size = expected a size like 1048576, 64K, 512M or 1G (1K = 1024 bytes)
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
