<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DocumentIngestion</name>
    <message>
        <source>%1 contains no text to read</source>
        <translation>%1 中没有可读取的文本</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>DocumentLibrary</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1: not a readable ingestion record</source>
        <translation>%1：不是可读取的读入记录</translation>
    </message>
</context>
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
    <name>linea::gui::DocumentWorkflow</name>
    <message>
        <source>Open &amp;Document…</source>
        <translation>打开文档(&amp;D)…</translation>
    </message>
    <message>
        <source>Read PDF, text, Markdown, HTML or source files into a conversation</source>
        <translation>将 PDF、文本、Markdown、HTML 或源代码文件读入对话</translation>
    </message>
    <message>
        <source>New &amp;Chat From This Document</source>
        <translation>基于此文档新建对话(&amp;C)</translation>
    </message>
    <message>
        <source>Open Document</source>
        <translation>打开文档</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.txt *.md *.markdown *.html *.htm *.xhtml *.c *.h *.cpp *.hpp *.py *.rs *.go *.java *.js *.ts *.json *.yaml *.yml *.toml *.xml *.csv *.log *.tex);;All files (*)</source>
        <translation>文档 (*.pdf *.txt *.md *.markdown *.html *.htm *.xhtml *.c *.h *.cpp *.hpp *.py *.rs *.go *.java *.js *.ts *.json *.yaml *.yml *.toml *.xml *.csv *.log *.tex);;所有文件 (*)</translation>
    </message>
    <message>
        <source>None of these files is a document Linea can read:
%1</source>
        <translation>这些文件都不是 Linea 能读取的文档：
%1</translation>
    </message>
    <message>
        <source>Open a model first: documents are read into the model&apos;s state.</source>
        <translation>请先打开一个模型：文档会被读入模型的状态。</translation>
    </message>
    <message>
        <source>Chat about %1</source>
        <translation>关于 %1 的对话</translation>
    </message>
    <message>
        <source>New Chat From This Document</source>
        <translation>基于此文档新建对话</translation>
    </message>
    <message>
        <source>Document read with warnings</source>
        <translation>文档已读取，但有警告</translation>
    </message>
    <message>
        <source>The document could not be read</source>
        <translation>无法读取该文档</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>This document was being read with the model %1. Open that model to resume, or discard it.</source>
        <translation>此文档是用模型 %1 读入的。请打开该模型以继续，或将其丢弃。</translation>
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
    <message>
        <source>The document state %1 does not list the tokens it holds.</source>
        <translation>文档状态 %1 未列出其包含的词元。</translation>
    </message>
    <message>
        <source>The document state %1 does not match this conversation.</source>
        <translation>文档状态 %1 与此对话不匹配。</translation>
    </message>
    <message>
        <source>This model cannot see pictures: it is a single file without a vision tower.</source>
        <translation>此模型无法看图片：它是一个没有视觉编码器的单个文件。</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its vision projector gives rows of %1 values, the language model takes %2.</source>
        <translation>此模型无法看图片：其视觉投影器输出每行 %1 个值，而语言模型需要 %2 个。</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its image placeholder token %1 is outside the vocabulary.</source>
        <translation>此模型无法看图片：其图片占位符词元 %1 超出了词表范围。</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its tokenizer does not read &lt;image&gt; as the placeholder token.</source>
        <translation>此模型无法看图片：其分词器不会把 &lt;image&gt; 读作占位符词元。</translation>
    </message>
    <message>
        <source>This model cannot see pictures: it has no vision tower (%1).</source>
        <translation>此模型无法看图片：它没有视觉编码器（%1）。</translation>
    </message>
    <message>
        <source>No text was found in %1.</source>
        <translation>在 %1 中没有找到文字。</translation>
    </message>
    <message>
        <source>The conversation holds %1 image placeholders for %2 pictures; remove the text &lt;image&gt; from your messages.</source>
        <translation>对话中有 %1 个图片占位符，却只有 %2 张图片；请从消息中删除文字 &lt;image&gt;。</translation>
    </message>
    <message>
        <source>The cached conversation ends inside a picture.</source>
        <translation>缓存的对话在一张图片中间结束。</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageFiles</name>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, more than a picture Linea reads (%3 bytes).</source>
        <translation>%1 有 %2 字节，超过了 Linea 可读取的图片大小（%3 字节）。</translation>
    </message>
    <message>
        <source>%1 holds %2 data, but its name says %3.</source>
        <translation>%1 包含 %2 数据，但文件名表示 %3。</translation>
    </message>
    <message>
        <source>%1 is not a picture Linea can read: %2</source>
        <translation>%1 不是 Linea 可以读取的图片：%2</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageTray</name>
    <message>
        <source>The model sees this picture with the message</source>
        <translation>模型会随消息一起看到这张图片</translation>
    </message>
    <message>
        <source>Show to the model</source>
        <translation>给模型看</translation>
    </message>
    <message>
        <source>Read the text</source>
        <translation>读取文字</translation>
    </message>
    <message>
        <source>Recognise the picture&apos;s text (OCR) and put it into the message</source>
        <translation>识别图片中的文字（OCR）并放入消息</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove this picture from the message</source>
        <translation>从消息中移除这张图片</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageWorkflow</name>
    <message>
        <source>Open a model that can see pictures first.</source>
        <translation>请先打开一个能看图片的模型。</translation>
    </message>
    <message>
        <source>Attach Images</source>
        <translation>附加图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The text of the picture could not be read: %1</source>
        <translation>无法读取图片中的文字：%1</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>linea::gui::IngestionPanel</name>
    <message>
        <source>%1, %2 and %3 more</source>
        <translation>%1、%2 及另外 %3 个</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>New Chat From This Document</source>
        <translation>基于此文档新建对话</translation>
    </message>
    <message>
        <source>Stop reading; what was read so far is kept and can be resumed</source>
        <translation>停止读入；已读取的内容会保留，之后可以继续</translation>
    </message>
    <message>
        <source>Start another conversation that continues from this document&apos;s saved state</source>
        <translation>新建一个从此文档已保存状态继续的对话</translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation>正在继续读入 %1…</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Waiting for the engine</source>
        <translation>正在等待引擎</translation>
    </message>
    <message>
        <source>Extracting the text of %1</source>
        <translation>正在提取 %1 的文本</translation>
    </message>
    <message>
        <source>Page %1 of %2 · memory %3 MiB</source>
        <translation>第 %1 页，共 %2 页 · 内存 %3 MiB</translation>
    </message>
    <message>
        <source>Reading %1 into the model</source>
        <translation>正在将 %1 读入模型</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 个词元</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>剩余 %1</translation>
    </message>
    <message>
        <source>time left unknown</source>
        <translation>剩余时间未知</translation>
    </message>
    <message>
        <source>memory %1 MiB</source>
        <translation>内存 %1 MiB</translation>
    </message>
    <message>
        <source>resumed at %1 tokens</source>
        <translation>从第 %1 个词元处继续</translation>
    </message>
    <message>
        <source>Reading %1 was stopped</source>
        <translation>%1 的读入已停止</translation>
    </message>
    <message>
        <source>%1 of %2 tokens are read; Resume continues from there.</source>
        <translation>已读取 %1 / %2 个词元；点击“继续”将从此处接着读入。</translation>
    </message>
    <message>
        <source>Resume continues from the last checkpoint.</source>
        <translation>点击“继续”将从上一个检查点接着读入。</translation>
    </message>
    <message>
        <source>Document: %1</source>
        <translation>文档：%1</translation>
    </message>
    <message>
        <source>%1 tokens read into the model. Replies continue from its saved state.</source>
        <translation>已将 %1 个词元读入模型。回复将从其已保存的状态继续。</translation>
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
    <message>
        <source>Image…</source>
        <translation>图片…</translation>
    </message>
    <message>
        <source>Attach pictures: show them to the model or read their text</source>
        <translation>附加图片：给模型看或读取其中的文字</translation>
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
    <message>
        <source>Speak</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Read this message aloud</source>
        <translation>朗读这条消息</translation>
    </message>
    <message>
        <source>Export Audio…</source>
        <translation>导出音频…</translation>
    </message>
    <message>
        <source>Save this message as speech in a WAV, Opus or MP3 file</source>
        <translation>将这条消息朗读并保存为 WAV、Opus 或 MP3 文件</translation>
    </message>
    <message>
        <source>%1
Shown to the model</source>
        <translation>%1
已给模型看</translation>
    </message>
    <message>
        <source>%1
Its text was read into the message</source>
        <translation>%1
其文字已读入消息</translation>
    </message>
</context>
<context>
    <name>linea::gui::ModelDetailsDialog</name>
    <message>
        <source>Model Details</source>
        <translation>模型详情</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <source>%1 (%2 layers, width %3, vocabulary %4)</source>
        <translation>%1（%2 层，宽度 %3，词表 %4）</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>大小：</translation>
    </message>
    <message>
        <source>%1 of weights, %2 on disk</source>
        <translation>权重 %1，磁盘占用 %2</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>上下文：</translation>
    </message>
    <message>
        <source>%1 tokens (declared by the model files)</source>
        <translation>%1 个词元（由模型文件声明）</translation>
    </message>
    <message>
        <source>no fixed limit: the model keeps a fixed-size state however long the text</source>
        <translation>无固定上限：无论文本多长，模型都保持固定大小的状态</translation>
    </message>
    <message>
        <source>State per conversation:</source>
        <translation>每个对话的状态：</translation>
    </message>
    <message>
        <source>Quantization / data types:</source>
        <translation>量化 / 数据类型：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>分词器：</translation>
    </message>
    <message>
        <source>Chat format:</source>
        <translation>对话格式：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>no fixed limit: the softmax layers&apos; memory grows with the text</source>
        <translation>没有固定上限：softmax 层的内存随文本增长</translation>
    </message>
    <message>
        <source>%1 + %2 per token</source>
        <translation>%1 + 每个词元 %2</translation>
    </message>
</context>
<context>
    <name>linea::gui::ModelMenu</name>
    <message>
        <source>Open &amp;Recent Model</source>
        <translation>打开最近使用的模型(&amp;R)</translation>
    </message>
    <message>
        <source>Model &amp;Details…</source>
        <translation>模型详情(&amp;D)…</translation>
    </message>
    <message>
        <source>No recent models</source>
        <translation>没有最近使用的模型</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清除列表(&amp;C)</translation>
    </message>
</context>
<context>
    <name>linea::gui::SpeakingIndicator</name>
    <message>
        <source>Audio saved to %1 (%2 s)</source>
        <translation>音频已保存到 %1（%2 秒）</translation>
    </message>
    <message>
        <source>Speaking…</source>
        <translation>正在朗读…</translation>
    </message>
    <message>
        <source>Exporting audio…</source>
        <translation>正在导出音频…</translation>
    </message>
    <message>
        <source>No audio output: speech can only be exported</source>
        <translation>没有音频输出：语音只能导出</translation>
    </message>
    <message>
        <source>Playing speech failed: %1</source>
        <translation>无法播放语音：%1</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop speaking</source>
        <translation>停止朗读</translation>
    </message>
</context>
<context>
    <name>linea::gui::VoiceMenu</name>
    <message>
        <source>&amp;Voice</source>
        <translation>语音(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Speak Replies</source>
        <translation>朗读回复(&amp;S)</translation>
    </message>
    <message>
        <source>Read each reply aloud, sentence by sentence, while it is being written</source>
        <translation>在生成回复的同时逐句朗读</translation>
    </message>
    <message>
        <source>S&amp;top Speaking</source>
        <translation>停止朗读(&amp;T)</translation>
    </message>
    <message>
        <source>Voice &amp;Settings…</source>
        <translation>语音设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Export Conversation Audio…</source>
        <translation>导出对话音频(&amp;E)…</translation>
    </message>
    <message>
        <source>Export Audio</source>
        <translation>导出音频</translation>
    </message>
    <message>
        <source>WAV audio (*.wav);;Ogg Opus audio (*.opus *.ogg);;MP3 audio (*.mp3)</source>
        <translation>WAV 音频 (*.wav);;Ogg Opus 音频 (*.opus *.ogg);;MP3 音频 (*.mp3)</translation>
    </message>
    <message>
        <source>Audio export failed</source>
        <translation>音频导出失败</translation>
    </message>
    <message>
        <source>%1 could not be written.

%2</source>
        <translation>无法写入 %1。

%2</translation>
    </message>
</context>
<context>
    <name>linea::gui::VoiceSettingsDialog</name>
    <message>
        <source>Voice Settings</source>
        <translation>语音设置</translation>
    </message>
    <message>
        <source>1 is the voice&apos;s normal speed, 2 twice as fast</source>
        <translation>1 为该语音的正常语速，2 为两倍速</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Voice:</source>
        <translation>语音：</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>语速：</translation>
    </message>
    <message>
        <source>Automatic (each sentence in its own language)</source>
        <translation>自动（每句使用其自身的语言）</translation>
    </message>
    <message>
        <source>Automatic (the usual voice of each sentence&apos;s language)</source>
        <translation>自动（每句所用语言的默认语音）</translation>
    </message>
</context>
</TS>
