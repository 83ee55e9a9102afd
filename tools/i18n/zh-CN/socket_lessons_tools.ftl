# 工具中的句子，简体中文版（tools/src/i18n.rs）。这里的每条消息都与
# ../en/socket_lessons_tools.ftl 中的一条一一对应：同样的 id，同样的参数（有测试检查）。

tools-language-name = 简体中文

## 课程的命令行（src/cli.rs）：--help、状态行、错误

cli-help-lang = 使用的语言：en（English）或 zh（简体中文）。不给时由系统的 locale 决定（LANG=zh_CN.UTF-8 时说中文），否则说英文
cli-ctrl-c-failed = 无法安装 Ctrl-C 处理函数：{ $error }
cli-second-ctrl-c = 第二次 Ctrl-C：平稳的关停还没有完成；不再等它，现在就退出
cli-no-server = { $bin } 没有服务端；请运行它的演示：{ $bin }
cli-no-client = { $bin } 没有客户端
cli-udp-not-a-path = UDP 服务端监听的是地址，不是路径
# $listening 是 `listening on ADDR`，在各种语言里都不变：脚本要从中读出地址。
cli-server-listening = { $bin } 服务端已启动（Ctrl-C 关停）：{ $listening }
cli-server-stopped = { $bin } 服务端已关停
cli-cannot-listen-time-wait = 无法在 { $at } 上监听：地址已被占用：那里有别的服务端在运行，或者（用了 --no-reuse-address 时）一个刚关闭的连接还在 TIME_WAIT 里占着这个端口；等一分钟，或者去掉 --no-reuse-address（`{ $bin } demo --part 1` 演示了原因）
cli-cannot-listen-in-use = 无法在 { $at } 上监听：地址已被占用。那里多半还有别的服务端在运行（之前的 `{ $bin } server`？）：用 Ctrl-C 关停它，或者用 --addr HOST:PORT 换一个地址
cli-cannot-listen = 无法在 { $at } 上监听：{ $error }
cli-cannot-listen-socket-in-use = 无法在 { $at } 上监听：已有别的服务端在这个套接字上监听（之前的 `{ $bin } server --unix { $path }`？）：用 Ctrl-C 关停它，或者用 --unix PATH 换一个路径
cli-cannot-listen-not-a-socket = 无法在 { $at } 上监听：这个路径是{ $kind }，不是套接字：删掉它，或者用 --unix PATH 换一个路径
cli-cannot-listen-no-folder = 无法在 { $at } 上监听：文件夹 { $folder } 不存在
cli-cannot-listen-permission = 无法在 { $at } 上监听：权限不够：这个用户不能在 { $folder } 里创建套接字
cli-start-first = 请先启动服务端：cargo run --bin { $bin } -- server{ $start }
cli-cannot-connect-not-a-socket = 无法连接 { $to }：这个路径是{ $kind }，不是套接字
cli-cannot-connect-nothing-listening = 无法连接 { $to }：那里没有服务端在监听。{ $start_first }
cli-cannot-connect-no-socket = 无法连接 { $to }：这个路径上没有套接字。{ $start_first }
cli-cannot-connect-permission = 无法连接 { $to }：权限不够：这个用户不能使用这个套接字
cli-client-server-silent = { $bin } 客户端（{ $to }）：服务端 { $seconds } 秒内什么也没说
cli-client-server-closed = { $bin } 客户端（{ $to }）：服务端关闭了连接
cli-client-not-a-frame = { $bin } 客户端（{ $to }）：回复不是 { $bin } 的帧（{ $error }）：这是 { $bin } 的服务端吗？
cli-client-not-a-frame-wire = { $bin } 客户端（{ $to }）：回复不是 { $bin } 的帧（{ $error }）：这是 { $bin } 的服务端吗？两边的 --wire 一样吗？
cli-interrupted-removed = 已中断：删除了未完成的 { $path }
# --help：各课的说明，按所在位置查找（tools/src/cli.rs 的 `in_chinese`）。
cli-after-help = 不带命令时播放演示（用 --step 和 --part 控制节奏）。服务端和客户端用 --addr（默认 { $addr }）；参见 `{ $bin } server --help`。
cli-about-lesson1 = 第 1 课：一个 TCP 服务端，只服务一个客户端、一条消息，然后退出。
cli-help-step = 演示：每一部分之前等待回车（提示在 stderr 上；输入结束就一口气放完其余部分）
cli-help-part = 演示：只播放第 N 部分，编号和解说里的一样（没有编号的演示只有一部分，即 1）
cli-help-html = 演示：同时把演示的内容（播放的部分）写成一个自包含的网页 FILE，画出字节流；stdout 上的文字记录不变
cli-about-demo = 播放带解说的演示：本阶段的服务端和按脚本行事的客户端在同一个进程里（默认）
cli-about-server = 运行本阶段的服务端，直到 Ctrl-C。日志写到 stderr（RUST_LOG=warn 可减少日志）
cli-help-server-addr = 要监听的地址。默认是回环地址，只有本机能连上
cli-about-client = 运行本阶段的客户端：标准输入的行就是消息（从第 3 课起每一行都是；`q` 退出）
cli-help-client-addr = 要连接的服务端地址
cli-about-lesson2 = 第 2 课：服务端绕着 accept 循环（链接循环），每个连接服务一条消息。
cli-about-lesson3 = 第 3 课：服务端绕着 recv 循环（通信循环），一次服务一个客户端，直到它离开。
cli-about-lesson4 = 第 4 课：每个客户端一个线程，所有客户端同时得到服务。
cli-about-lesson5 = 第 5 课：一个远程执行命令的服务端，以为一次 recv 就是一条消息：粘包。
cli-help-shell = 危险：把客户端发来的内容交给系统 shell 运行，像教程那样
cli-about-lesson6 = 第 6 课：每条消息前加一个固定长度的报头，粘包就不会发生。
cli-help-wire = framed（我们的：每条消息都有帧）、tutorial（教程的终极版：请求不加帧，struct.pack('i') 报头长度，JSON 报头）或 tutorial-basic（它的初级版：请求不加帧，struct.pack('i') 正文长度）
cli-about-lesson7 = 第 7 课：UDP 回显服务端：每个数据报要么完整、单独地到达（没有粘包），要么根本不到。
cli-help-timeout = 每个回复最多等多少秒（0.5 也可以）；超时后客户端就放弃这个回复
cli-about-lesson8 = 第 8 课：在第 6 课的帧上 get、put 和 list 文件：流式传输、md5 校验、整体落盘、限定在 --root 之内。
cli-help-root = 要提供的服务目录（不存在就创建）。客户端发来的任何名字都走不出它
cli-help-max-upload = 接受的最大上传，单位字节（K、M、G 指 KiB、MiB、GiB）；更大的在看到报头时就拒绝，一个字节也不存
cli-about-client-get = 从服务端下载文件 NAME（md5 校验通过后才给它起正式的名字）
cli-help-output = 写到哪里（默认：NAME 的最后一段，放在当前文件夹）
cli-help-client-get-force = 替换本地的同名文件
cli-about-client-put = 上传 PATH 处的文件（用它自己的文件名，或 --as NAME）
cli-help-client-put-name = 存到服务端时用的名字
cli-help-client-put-force = 替换服务端上的同名文件
cli-about-client-list = 列出服务端提供的文件及其大小
cli-about-lesson9 = 第 9 课：聊天室：成员发的每一行都送到其他每个成员；一个不再读的成员拖不住整个聊天室。
cli-help-client-name = 用 NAME 加入聊天室（1 到 16 个字母或数字，任何文字均可）；不给的话，你输入的第一行就是名字
cli-about-lesson10 = 第 10 课：10086 菜单机器人：服务端先开口，记住每个来电者在菜单里的位置，还会计时。
cli-help-lesson10-server-idle = 来电者这么多秒什么也没说，就挂断（0.5 也可以）
cli-help-lesson10-client-timeout = 最多等机器人多少秒开口（0.5 也可以）；超时后客户端就放弃
cli-about-lesson11 = 第 11 课：看得见的套接字选项，以及加了客户端上限、空闲超时和写超时的第 4 课回显。
cli-help-backlog = 内核在我们 accept 之前最多排队多少个已完成的握手：listen(N)（Linux 的上限是 net.core.somaxconn）；教程的 listen(5) 就是 --backlog 5
cli-help-no-reuse-address = 不设 SO_REUSEADDR 就绑定（套接字默认如此）：这样停下后立刻重启，会在旧连接还处于 TIME_WAIT 时报 'Address already in use'
cli-help-path = 用 Unix 域套接字 PATH（AF_UNIX）代替 --addr
cli-help-max-clients = 最多同时服务 N 个客户端；再来的会收到一行拒绝并被关闭。超过本进程所能容纳的上限（它的 ulimit -v、-u、-n）会被降到合适的值，并给出警告
cli-help-idle = 客户端 SECS 秒什么也没发，就挂断它（never：永远等下去）
cli-help-write-timeout = 客户端 SECS 秒一点也不读我们的回复，就挂断它（never：永远等下去）
cli-help-nodelay = 设置 TCP_NODELAY：小块的写立即发出，而不是等上一块被确认后再发（Nagle 算法）
cli-about-lesson12 = 第 12 课：固定的工作线程池加一个有界队列：洪水般的连接不再每个占一个线程，但 N 个空闲客户端会卡住其余的。
cli-help-workers = 用 N 个工作线程服务，随服务端一起启动；客户端连着多久就占一个线程多久
cli-help-queue = 再让 N 个客户端排队等空闲的工作线程；再来的被告知服务端忙，然后关闭（0：谁也不排队）
cli-about-lesson13 = 第 13 课：一个线程服务所有客户端：非阻塞套接字、就绪循环（mio），以及每个客户端一份尚未写出的回复缓冲区。
cli-demo-flag-conflict = 子命令 '{ $subcommand }' 不能和 '--{ $flag }' 一起用
cli-tip-paces-the-demo = { $flag } 控制的是演示的节奏：`{ $bin } { $example }`（或 `{ $bin } demo { $example }`）
cli-tip-draws-the-demo = { $flag } 画的是演示：`{ $bin } { $example }`（或 `{ $bin } demo { $example }`）

## 演示（src/demo/）：解说、图的说明文字、逐步提示

## grade（src/grade/）：用例标题、判定、提示、报告

## compare（src/compare/）：行和格

## learn（src/learn/）：运行器的输出

## chaos 和 netassist（src/chaos/、src/netassist/）

## course（src/bin/course.rs）：课程地图和重置
