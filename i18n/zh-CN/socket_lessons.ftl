# 课程中的句子，简体中文版（src/i18n.rs）。这里的每条消息都与 ../en/socket_lessons.ftl 中的一条
# 一一对应：同样的 id，同样的参数（有测试检查）。按课程的部分分节；在说这句话的代码所在的节里添加。

language-name = 简体中文

## 取值：参数值不对时的提示（src/flags.rs）

value-seconds = 应为 { $shortest } 到 { $longest } 之间的秒数，比如 2 或 0.5
# `never` 是在命令行上输入的值，在各种语言里都是这个词。
value-or-never = { $sentence }，或者 never
value-size = 应为一个大小，比如 1048576、64K、512M 或 1G（1K = 1024 字节）
value-addr = 应为 HOST:PORT，比如 127.0.0.1:8001（{ $error }）
value-addr-resolves-to-nothing = { $text } 解析不出任何地址
value-unix-needs-a-path = unix: 后面要跟一个路径，比如 unix:/tmp/lesson.sock
value-count = 应为 { $min } 到 { $max } 之间的整数
value-folder-but = 应为一个文件夹的路径（不存在会自动创建），但这里是{ $kind }
value-socket-path-too-long = 应为 Unix 套接字的路径，最长 { $max } 个字节（这个有 { $length } 个）
value-path-empty = 应为一个路径，不能为空
kind-folder = 一个文件夹
kind-regular-file = 一个普通文件
kind-symbolic-link = 一个符号链接
kind-socket = 一个套接字
kind-fifo = 一个 FIFO（命名管道）
kind-device = 一个设备
kind-other = 既不是文件也不是文件夹

## 服务端和客户端：错误、警告和提示（src/server.rs、src/lessons/、src/files/ ……）

room-hung-up-on-us = 聊天室挂断了我们：{ $why }
# 跟在 `WARNING --shell: ` 之后；那几个字不变。
commands-shell-warning = 凡是能连到 { $addr } 的客户端，现在都能以这个用户的身份在这台机器上运行任意命令。只在你信得过的机器和网络上用它。
guard-cannot-hold-one = --max-clients：这个进程连一个客户端线程都容纳不了：{ $limit }
# 跟在 `warning: --max-clients N lowered to M` 之后；那几个字不变。
guard-cap-lowered = ，即这个进程能容纳的上限：{ $limit }
# 跟在 `busy: ` 之后；`busy: ` 不变，客户端要匹配它。
guard-busy = 服务端已经在服务它能服务的最多的客户端了；请稍后再试
client-reply-damaged = 回复已损坏：它的 md5 是 { $actual }，报头里说的却是 { $expected }

## 聊天室线路上的文字（src/room.rs）：成员听到的

room-name-invalid = 名字须为 1 到 { $max } 个字母或数字，任何文字均可
room-name-taken = 名字 { $name } 已被占用，请换一个
room-closing = 聊天室正在关闭
room-busy = 服务端现在无法再接纳成员，请稍后再试
room-present = * 聊天室里有：{ $names }
room-nobody-else = 还没有别人
room-names-separator = 、
room-joined = * { $name } 加入了
room-left = * { $name } 离开了
room-left-stopped-reading = * { $name } 离开了（它不再读了）
room-closing-notice = * 服务端正在关停：再见
# 跟在 `error: ` 之后；`error: ` 在各种语言里都不变，因为客户端要读它。
room-stopped-reading = 你不再读了，聊天室只好撇下你继续
line-too-long = 一行超过了 { $max } 个字节
line-not-utf8 = 一行不是 UTF-8 文本

## 课程地图（src/course.rs）：`cargo run` 打印的内容
course-map-heading = socket-lessons：一套经典的 Python 套接字教程，用 Rust 一步步重写。
course-map-lesson = { $step }（{ $title }）
course-map-start = 从第一课的演示开始：   cargo run --bin { $first }
course-map-then = 然后在两个终端里分别运行它的服务端和客户端：
course-map-chapters = 每一课的章节在 lessons/zh/ 里（从 lessons/zh/README.md 开始）。

## 菜单机器人线路上的文字（src/menu.rs）：来电者听到的

# 10086 机器人是教程里的机器人，它说的是教程的原话，一字不改（和英文目录一样，连标点都是教程的），
# 这样同学们拿 Rust 的机器人和教程的 Python 机器人对照时，听到的是同样的字节。

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

## 帧（src/frame/）：挂断之前，在报头的 `error` 字段里告诉对端的话。服务端的日志照旧用英文说
## 同一件事（FrameError 的 Display）。

frame-io = 读帧时出了 I/O 错误：{ $why }
frame-header-too-long = 长度前缀说报头有 { $len } 字节，超过了报头 { $limit } 字节的上限
frame-body-too-large = 对端声明正文有 { $size } 字节，超过了 { $limit } 字节的上限
frame-header-not-utf8 = 报头不是合法的 UTF-8 文本
frame-header-not-json = 报头不是合法的报头 JSON：{ $why }
frame-header-not-object = 报头是 JSON，但不是对象；应该像 {"{"}"total_size": 5{"}"} 这样
frame-missing-total-size = 报头里没有 "total_size" 字段，或者它不是非负整数
frame-ended-mid-frame = 连接在一个帧的中间断了：{ $what }应有 { $expected } 字节，只收到 { $received } 字节
frame-part-header-length = 报头长度
frame-part-header = 报头
frame-part-body = 正文
frame-part-length-prefix = 长度前缀
frame-md5 = 请求正文的 md5 是 { $actual }，和报头里的不一致

## 文件（src/files/）：第 8 课的拒绝理由，放在 `error` 回复里发出，客户端打印在 `error: ` 后面。
## 服务端的日志照旧用英文（Refused 的 Display）。

files-name-empty = 文件名是空的
files-name-has-nul = 文件名里不能有 NUL 字节
files-name-has-backslash = 文件名里的文件夹之间用 /，不能用 \
files-name-absolute = 文件名必须是相对于服务目录的路径
files-name-has-empty-part = 文件名是用单个斜杠隔开的普通名字：不能有空的部分，开头和结尾也不能是 /
files-name-has-dot = 文件名里不能有 `.`：它不指向任何文件
files-name-has-dot-dot = 文件名里不能有 `..`：它会走出服务目录
files-name-hidden = 文件名不能以点开头（隐藏文件）
files-name-part-too-long = 文件名的每一部分最多 { $max } 字节，这一部分有 { $bytes } 字节：收文件时先用一个更长的临时名字写在它旁边，而系统最多允许 255 字节
files-name-names-no-file = 这个文件名不指向任何文件
files-no-such-folder = 服务端没有这个文件夹
files-leads-outside = 这个文件名通向服务目录外面
files-no-such-file = 没有这个文件：{ $name }
files-cannot-open = 打不开 { $name }：{ $why }
files-cannot-read = 读不了 { $name }：{ $why }
files-not-a-regular-file = { $name } 是{ $kind }，不是普通文件：只提供普通文件
files-kind-named-pipe = 命名管道（FIFO）
files-kind-socket = 套接字
files-kind-device = 设备
files-kind-folder = 文件夹
files-kind-other = 别的东西
files-is-a-folder = { $name } 是一个文件夹
# `lesson8 client put --force` 是命令行：各种语言里都一样。
files-exists-on-server = 服务端已有 { $name }，lesson8 client put --force 会替换它
files-cannot-store = 存不了 { $name }：{ $why }
files-no-filename = 请求里没有 "filename"
files-body-not-put = 只有 put 带正文；这个请求（动作：{ $action }）却带了 { $bytes } 字节
# 请求里没有动作时，files-body-not-put 里的动作。
files-unnamed-action = 没有
files-put-without-md5 = put 要在报头里带上正文的 md5；这个请求没有带
files-unknown-action = 未知的动作 { $action }：动作只有 get、put 和 list
files-no-action = 请求里没有 "action"（get、put 或 list）
files-md5-mismatch = { $name }：收到内容的 md5 是 { $actual }，报头里说的却是 { $expected }；什么也没有保留
files-md5-absent = { $name }：报头里没有 md5，无法校验这个文件；什么也没有保留
# 后面是服务端自己的话，用服务端的语言，原样转述。
files-server-refused = 服务端拒绝了：{ $said }
files-names-no-file = { $name } 不指向任何文件
files-download-name-too-long = { $path }：文件名有 { $bytes } 字节；这个客户端最多写 { $max } 字节的名字（下载的文件先写在一个更长的临时名字下）；用 -o PATH 换个名字写
files-exists-here = 这里已有 { $path }，不覆盖：先挪走它，或在命令行上用 --force 或 -o PATH
files-path-names-no-file = { $path } 不指向任何文件；请用 --as NAME
files-listing-damaged = 文件列表到达时坏了（它的 md5 不一致）
files-listing-not-json = 文件列表不是 lesson8 发的那种：{ $why }
# 输入的一行不是命令时，打印这一句；命令本身在各种语言里都一样。
files-typed-usage = 请输入 `get NAME`、`put PATH`、`list`，或者输入 `q` 退出
# 不到 1 KiB 的大小（更大的写成 `1.50 KiB`、`476.84 MiB`，各种语言都一样）。
files-size-bytes = { $count } 字节
files-got = 收到 { $name }（{ $size }，md5 { $md5 } 一致）-> { $path }
files-stored = 已保存 { $name }（{ $size }，md5 { $md5 } 已由服务端校验）
files-no-files = （没有文件）
# 截短的对端文本的尾巴（src/escape.rs）：它原来有多长。紧跟在右引号后面。
peer-text-cut = …（{ $bytes } 字节）
# 服务端在一次请求的中途走了：客户端这次会话到此为止。
files-server-hung-up = 服务端关闭了连接
files-server-hung-up-mid-transfer = { $name }：服务端在传输途中关闭了连接，{ $expected } 字节只收到了 { $received } 字节；什么也没有保留
# 跟在 `--root DIR: ` 后面：那个文件夹没法提供服务。
files-root-permission-denied = 权限不够：这个用户不能创建或读取那个文件夹
files-root-in-the-way = 有个文件挡在路上：路径必须经过一个个文件夹，通向一个文件夹

## 命令服务（src/commands.rs）：第 5、6 课的回复。命令名（help、echo、seq）、`error: ` 和
## `seq: ` 在各种语言里都一样。

commands-help =
    命令：
      help          列出这些命令
      echo TEXT...  原样打印 TEXT
      seq N         打印 1 到 N 的整数，每行一个（N 最大 { $max }）
    这里只运行这几个命令；别的命令（ls、dir……）要用 --shell 启动的服务端才能运行。
commands-not-utf8 = error: 命令不是 UTF-8 文本；试试 'help'
commands-empty = error: 空命令；试试 'help'
commands-seq-usage = seq: 需要一个数，比如 'seq 10'
# commands-unknown 的开头：grade 靠它认出命令服务，两种语言都认。
commands-unknown-opening = 未知命令
commands-unknown = { commands-unknown-opening } '{ $command }'：只运行 help、echo、seq，别的命令要 --shell；试试 'help'
commands-seq-too-large = seq: { $n } 太大了；最大是 { $max }
commands-seq-not-a-number = seq: '{ $n }' 不是整数
commands-shell-failed = error: 无法运行 shell：{ $why }
