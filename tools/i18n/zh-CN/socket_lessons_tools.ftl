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

## 演示（src/demo/）：解说、图的说明文字、逐步提示

## grade（src/grade/）：用例标题、判定、提示、报告

## compare（src/compare/）：行和格

## learn（src/learn/）：运行器的输出

## chaos 和 netassist（src/chaos/、src/netassist/）

## course（src/bin/course.rs）：课程地图和重置
