"""MiniMax-M1's special tokens and chat format (model-spec §1.8), rendered in Python.

`render()` produces exactly the string that M1's Jinja chat template (CHAT_TEMPLATE below, the
`chat_template` field of MiniMax-M1's tokenizer_config.json, Apache-2.0) produces for messages with
text content; `tokenizer_check` in train_tokenizer.py compares the two through transformers.
"""
from __future__ import annotations

BEGIN_OF_DOCUMENT = "<begin_of_document>"
END_OF_DOCUMENT = "<end_of_document>"  # M1's unk_token
BOS = "<beginning_of_sentence>"
EOS = "<end_of_sentence>"
IMAGE = "<image>"  # MiniMax-VL-01's image placeholder
SPECIAL_TOKENS = [BEGIN_OF_DOCUMENT, END_OF_DOCUMENT, BOS, EOS, IMAGE]

SYSTEM_HEADER = f"{BOS}system ai_setting=assistant\n"
USER_HEADER = f"{BOS}user name=user\n"
ASSISTANT_HEADER = f"{BOS}ai name=assistant\n"
TURN_END = f"{EOS}\n"

# The chat_template of MiniMax-M1 (tokenizer_config.json), verbatim.
CHAT_TEMPLATE = (
    "{{ '<begin_of_document>' -}}{% set ns = namespace(system_prompt='') -%}{% for message in messages -%}"
    "{% if message['role'] == 'system' -%}{% set ns.system_prompt = ns.system_prompt + message['content'][0]['text'] -%}"
    "{% endif -%}{%- endfor -%}{% if ns.system_prompt != '' -%}{{ '<beginning_of_sentence>system ai_setting=assistant\n' "
    "+ ns.system_prompt + '<end_of_sentence>\n' -}}{%- endif -%}{% if tools -%}{{ '<beginning_of_sentence>system "
    "tool_setting=tools\nYou are provided with these tools:\n<tools>\n' -}}{% for tool in tools -%}{{ tool | tojson ~ "
    "'\n' -}}{%- endfor -%}{{ '</tools>\n\nIf you need to call tools, please respond with <tool_calls></tool_calls> "
    "XML tags, and provide tool-name and json-object of arguments, following the format below:\n<tool_calls>\n{''name'': "
    "<tool-name-1>, ''arguments'': <args-json-object-1>}\n...\n</tool_calls><end_of_sentence>\n' -}}{%- endif -%}"
    "{% for message in messages -%}{% if message['role'] == 'user' -%}{{ '<beginning_of_sentence>user name=user\n' + "
    "message['content'][0]['text'] + '<end_of_sentence>\n' -}}{% elif message['role'] == 'assistant' -%}{{ "
    "'<beginning_of_sentence>ai name=assistant\n' -}}{% for content in message['content'] | selectattr('type', "
    "'equalto', 'text') -%}{{ content['text'] -}}{%- endfor -%}{{ '<end_of_sentence>\n' -}}{% elif message['role'] == "
    "'tool' -%}{{ '<beginning_of_sentence>tool name=tools\n' }} {%- for content in message['content'] -%}{{- 'tool "
    "name: ' + content['name'] + '\n' + 'tool result: ' + content['text'] + '\n\n' -}} {%- endfor -%}{{- "
    "'<end_of_sentence>\n' -}}{% endif -%}{%- endfor -%}{% if add_generation_prompt -%}{{ '<beginning_of_sentence>ai "
    "name=assistant\n' -}}{%- endif -%}"
)


def render(messages: list[tuple[str, str]], add_generation_prompt: bool = False) -> str:
    """messages: (role, text) with role in system/user/assistant, in order."""
    system = "".join(text for role, text in messages if role == "system")
    out = [BEGIN_OF_DOCUMENT]
    if system:
        out.append(SYSTEM_HEADER + system + TURN_END)
    for role, text in messages:
        if role == "user":
            out.append(USER_HEADER + text + TURN_END)
        elif role == "assistant":
            out.append(ASSISTANT_HEADER + text + TURN_END)
        elif role != "system":
            raise ValueError(f"unsupported role {role!r}")
    if add_generation_prompt:
        out.append(ASSISTANT_HEADER)
    return "".join(out)


def segments(messages: list[tuple[str, str]]) -> list[tuple[str, bool]]:
    """The rendered conversation as (text, is_assistant_content) pieces, for loss weighting."""
    system = "".join(text for role, text in messages if role == "system")
    out: list[tuple[str, bool]] = [(BEGIN_OF_DOCUMENT, False)]
    if system:
        out.append((SYSTEM_HEADER + system + TURN_END, False))
    for role, text in messages:
        if role == "user":
            out.append((USER_HEADER + text + TURN_END, False))
        elif role == "assistant":
            out.append((ASSISTANT_HEADER, False))
            out.append((text + TURN_END, True))  # the model must learn to end its turn too
    return out
