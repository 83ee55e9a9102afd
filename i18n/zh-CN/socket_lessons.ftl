# 课程中的句子，简体中文版（src/i18n.rs）。这里的每条消息都与 ../en/socket_lessons.ftl 中的一条
# 一一对应：同样的 id，同样的参数（有测试检查）。按课程的部分分节；在说这句话的代码所在的节里添加。

language-name = 简体中文

## 取值：参数值不对时的提示（src/flags.rs）

## 服务端和客户端：错误、警告和提示（src/server.rs、src/lessons/、src/files/ ……）

## 聊天室线路上的文字（src/room.rs）：成员听到的

## 菜单机器人线路上的文字（src/menu.rs）：来电者听到的
