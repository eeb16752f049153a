<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>Some conversations could not be opened</source>
        <translation>部分对话无法打开</translation>
    </message>
</context>
<context>
    <name>linea::gui::AboutDialog</name>
    <message>
        <source>About Linea</source>
        <translation>关于 Linea</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Linea %1&lt;/h2&gt;&lt;p&gt;Local linear-attention language models with vision and voice.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;&lt;p&gt;Compute: %2&lt;/p&gt;&lt;p&gt;Built with %3.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Linea %1&lt;/h2&gt;&lt;p&gt;在本机运行的线性注意力语言模型，支持图像理解与语音朗读。&lt;/p&gt;&lt;p&gt;依据 GNU 通用公共许可证第 3 版或更高版本授权。&lt;/p&gt;&lt;p&gt;计算设备：%2&lt;/p&gt;&lt;p&gt;构建所用组件：%3。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationListModel</name>
    <message>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <source>%1 messages, last changed %2</source>
        <translation>%1 条消息，最后修改于 %2</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationSettingsDialog</name>
    <message>
        <source>Conversation Settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>Optional instructions the model sees before every message.</source>
        <translation>可选：模型在每条消息之前读到的指示。</translation>
    </message>
    <message>
        <source>0 (always the most likely token)</source>
        <translation>0（总是选择最可能的词元）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>random for every reply</source>
        <translation>每次回复随机</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>系统提示：</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <source>Min-p:</source>
        <translation>Min-p：</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>重复惩罚：</translation>
    </message>
    <message>
        <source>Longest reply (tokens):</source>
        <translation>最长回复（词元）：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationStore</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>No conversation with id %1.</source>
        <translation>不存在标识为 %1 的对话。</translation>
    </message>
    <message>
        <source>Cannot delete %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
</context>
<context>
    <name>linea::gui::EngineWorker</name>
    <message>
        <source>The model has no tokenizer Linea can read: %1</source>
        <translation>该模型没有 Linea 能读取的分词器：%1</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
</context>
<context>
    <name>linea::gui::LanguageSwitcher</name>
    <message>
        <source>Unknown interface language &quot;%1&quot;.</source>
        <translation>未知的界面语言“%1”。</translation>
    </message>
    <message>
        <source>The translation catalogue %1 could not be loaded.</source>
        <translation>无法加载翻译文件 %1。</translation>
    </message>
</context>
<context>
    <name>linea::gui::MainWindow</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Linea</source>
        <translation>Linea</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Linea</source>
        <translation>关于 Linea(&amp;A)</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Open a model to start chatting. Documents and images can then be dropped here.</source>
        <translation>请先打开一个模型再开始对话。之后可以把文档和图片拖放到这里。</translation>
    </message>
    <message>
        <source>Type a message…</source>
        <translation>输入消息…</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>添加附件…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU（CUDA）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>重命名(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>删除(&amp;D)…</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete the conversation &quot;%1&quot;? This cannot be undone.</source>
        <translation>确定删除对话“%1”吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Conversation Settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>Open Model &amp;Folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Conversation &amp;Settings…</source>
        <translation>对话设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Model: %1 (%2)</source>
        <translation>模型：%1（%2）</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Models (*.gguf *.safetensors *.bin config.json);;All files (*)</source>
        <translation>模型 (*.gguf *.safetensors *.bin config.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>The model could not be opened</source>
        <translation>无法打开该模型</translation>
    </message>
    <message>
        <source>Writing… %1 tokens/s, %2 tokens in context</source>
        <translation>正在生成… 每秒 %1 个词元，上下文中共 %2 个词元</translation>
    </message>
    <message>
        <source>Save conversation</source>
        <translation>保存对话</translation>
    </message>
    <message>
        <source>%1 tokens at %2 tokens/s (%3), %4 tokens in context</source>
        <translation>%1 个词元，每秒 %2 个（%3），上下文中共 %4 个词元</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>回复失败：%1</translation>
    </message>
</context>
<context>
    <name>linea::gui::MessageWidget</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Linea</source>
        <translation>Linea</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>以 Markdown 格式复制这条消息</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again</source>
        <translation>编辑这条消息并重新发送</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Write this reply again</source>
        <translation>重新生成这条回复</translation>
    </message>
</context>
</TS>
