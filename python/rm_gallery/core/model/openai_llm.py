"""rm_gallery.core.model.openai_llm: OpenaiLLM over rmg's C++ chat client.

Same fields and defaults as RM-Gallery's (model "gpt-4o", temperature 0.85,
max_tokens 8192, max_retries 10, key from OPENAI_API_KEY, endpoint from BASE_URL),
but requests go through rmg's ChatClient (_rmg.chat): keep-alive connections,
retries with back-off, and the GIL released while waiting. Its settings also become
the parameters of the gallery's C++ LLM judges (to_params()).
"""

import json
import os

from rm_gallery import _rmg
from rm_gallery.core.model.base import BaseLLM, to_messages
from rm_gallery.core.model.message import ChatMessage, ChatResponse, MessageRole


class OpenaiLLM(BaseLLM):
    DEFAULTS = {
        "model": "gpt-4o", "base_url": None, "openai_api_key": None, "max_retries": 10, "stream": False,
        "max_tokens": 8192, "thinking_budget": 8192, "stop_if_detect_repetition": False, "timeout": 60.0,
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.openai_api_key = self.openai_api_key or os.environ.get("OPENAI_API_KEY")
        if not self.openai_api_key:
            raise ValueError("Did not find openai_api_key, please add an environment variable `OPENAI_API_KEY` "
                             "which contains it, or pass `openai_api_key` as a named parameter.")
        self.base_url = self.base_url or os.environ.get("BASE_URL")
        if not self.base_url:
            raise ValueError("Did not find base_url, please add an environment variable `BASE_URL` "
                             "which contains it, or pass `base_url` as a named parameter.")

    def to_params(self):
        """The settings as rmg LLM parameters (for _rmg.chat and the C++ judges)."""
        params = {
            "model": self.model, "base_url": self.base_url, "api_key": self.openai_api_key,
            "max_tokens": int(self.max_tokens), "enable_thinking": bool(self.enable_thinking),
            "max_retries": int(self.max_retries), "timeout_seconds": float(self.timeout),
            "temperature": float(self.temperature),
        }
        if "qwen3" in self.model.lower():
            params["extra_body"] = {"thinking_budget": int(self.thinking_budget)}
        return params

    def chat(self, messages, **kwargs):
        """One completion; raises Exception("API call failed: ...") when it fails after the retries."""
        wire = [{"role": MessageRole(m.role).value, "content": m.content} for m in to_messages(messages)]
        reply = _rmg.chat(json.dumps(self.to_params()), json.dumps(wire, ensure_ascii=False))
        content = reply["content"]
        if self.enable_thinking and reply["reasoning_content"]:
            content = ("<think>" + reply["reasoning_content"] + "</think>" + content)[:32768]
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=content), raw=reply)
