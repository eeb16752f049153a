"""Reading tasks over long documents: a fact (a pass key, a person's number, the date of a meeting)
is stated somewhere inside KJV filler text; the user then asks for it and the answer must come
from what was read. The filler comes from the training books while training and from the
held-out books in evaluation.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

NAMES = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Grace", "Henry", "Ida", "Jonas", "Kate", "Leo",
         "Maria", "Noah", "Olivia", "Paul", "Rosa", "Sam", "Tina", "Victor", "Wendy", "Yusuf", "Zoe", "Omar",
         "Lena", "Ivan", "Mia", "Hugo", "Nora", "Oscar"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
PASSKEY_QUESTION = "What is the pass key?"


@dataclass
class Task:
    kind: str
    document: str
    question: str
    answer: str
    key: str  # the exact string that must appear in a correct answer

    def messages(self) -> list[tuple[str, str]]:
        return [("user", f"{self.document}\n\n{self.question}"), ("assistant", self.answer)]


def _needles(rng: random.Random, kind: str) -> tuple[list[str], str, str, str]:
    """→ (sentences to hide, question, answer, key)."""
    if kind == "passkey":
        key = str(rng.randint(10000, 99999))
        return [f"The pass key is {key}. Remember it. {key} is the pass key."], PASSKEY_QUESTION, f"The pass key is {key}.", key
    if kind == "number":
        people = rng.sample(NAMES, rng.randint(1, 3))
        numbers = [str(rng.randint(1000, 9999)) for _ in people]
        who = rng.randrange(len(people))
        sentences = [f"{p}'s number is {n}." for p, n in zip(people, numbers)]
        return (sentences, f"What is {people[who]}'s number?", f"{people[who]}'s number is {numbers[who]}.", numbers[who])
    person = rng.choice(NAMES)
    date = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(1900, 2030)}"
    return ([f"The meeting with {person} is on {date}."], f"When is the meeting with {person}?",
            f"The meeting with {person} is on {date}.", date)


def make_task(rng: random.Random, verses: list[str], target_tokens: int, count_tokens: Callable[[str], int],
              kind: str | None = None) -> Task:
    """A document of about target_tokens tokens of consecutive verses, with the needle(s) at random places."""
    kind = kind or rng.choices(["passkey", "number", "date"], weights=[0.4, 0.35, 0.25])[0]
    sentences, question, answer, key = _needles(rng, kind)
    budget = max(8, target_tokens - sum(count_tokens(" " + s) for s in sentences))
    start = rng.randrange(len(verses))
    chosen, used, i = [], 0, start
    while used < budget:
        v = verses[i % len(verses)]
        chosen.append(v)
        used += count_tokens(" " + v)
        i += 1
    for s in sentences:
        chosen.insert(rng.randint(0, len(chosen)), s)
    return Task(kind, " ".join(chosen), question, answer, key)
