# 工具中的句子，简体中文版（tools/src/i18n.rs）。这里的每条消息都与
# ../en/socket_lessons_tools.ftl 中的一条一一对应：同样的 id，同样的参数（有测试检查）。

tools-language-name = 简体中文

## 课程的命令行（src/cli.rs）：--help、状态行、错误

cli-help-lang = 使用的语言：en（English）或 zh（简体中文）。不给时由系统的 locale 决定（LANG=zh_CN.UTF-8 时说中文），否则说英文

## 演示（src/demo/）：解说、图的说明文字、逐步提示

## grade（src/grade/）：用例标题、判定、提示、报告

## compare（src/compare/）：行和格

## learn（src/learn/）：运行器的输出

## chaos 和 netassist（src/chaos/、src/netassist/）

## course（src/bin/course.rs）：课程地图和重置
