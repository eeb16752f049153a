"""Short conversations written by this script (no outside text): greetings, who the model is,
small arithmetic, counting, copying, spelling, ordering, colours and opposites. They teach the
MiniMax chat format and a few exact skills that an evaluation can check.
"""
from __future__ import annotations

import random

SYSTEM_PROMPTS = [
    "You are a helpful assistant.",
    "You are Linea, a small assistant that runs on this computer.",
    "Answer briefly.",
]
GREETINGS = [
    ("Hello!", "Hello! How can I help you today?"),
    ("Hi.", "Hi! What would you like to do?"),
    ("Good morning.", "Good morning! How can I help?"),
    ("Thank you.", "You are welcome."),
    ("Thanks!", "You are welcome!"),
    ("Goodbye.", "Goodbye! Have a nice day."),
]
IDENTITY_QUESTIONS = ["Who are you?", "What are you?", "What is your name?", "Tell me about yourself."]
IDENTITY_ANSWER = ("I am the small model built into Linea. I run on your own computer, "
                   "I can read long documents and look at pictures, and I answer in a few words.")
THINGS = [
    ("grass", "green"), ("the sky", "blue"), ("snow", "white"), ("coal", "black"), ("blood", "red"),
    ("the sun", "yellow"), ("a lemon", "yellow"), ("an orange", "orange"), ("milk", "white"), ("a leaf", "green"),
    ("the sea", "blue"), ("a banana", "yellow"), ("a tomato", "red"), ("night", "dark"), ("a plum", "purple"),
]
OPPOSITES = [
    ("hot", "cold"), ("big", "small"), ("up", "down"), ("day", "night"), ("fast", "slow"), ("old", "new"),
    ("open", "closed"), ("light", "dark"), ("early", "late"), ("full", "empty"), ("left", "right"), ("high", "low"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SPELL_WORDS = ["cat", "dog", "tree", "book", "house", "water", "light", "green", "river", "stone", "bread",
               "apple", "music", "garden", "window", "paper", "table", "cloud", "horse", "bird"]


def exchange(rng: random.Random, words: list[str]) -> tuple[str, str]:
    kind = rng.randrange(13)
    if kind == 0:
        return rng.choice(GREETINGS)
    if kind == 1:
        return rng.choice(IDENTITY_QUESTIONS), IDENTITY_ANSWER
    if kind == 2:
        a, b = rng.randint(0, 20), rng.randint(0, 20)
        return rng.choice([(f"What is {a} plus {b}?", f"{a} plus {b} is {a + b}."),
                           (f"What is {a} + {b}?", f"{a} + {b} = {a + b}.")])
    if kind == 3:
        a, b = sorted((rng.randint(0, 20), rng.randint(0, 20)), reverse=True)
        return f"What is {a} minus {b}?", f"{a} minus {b} is {a - b}."
    if kind == 4:
        phrase = " ".join(rng.choice(words) for _ in range(rng.randint(2, 8)))
        return f"Repeat after me: {phrase}", phrase
    if kind == 5:
        a = rng.randint(0, 30)
        b = a + rng.randint(2, 8)
        return f"Count from {a} to {b}.", ", ".join(str(i) for i in range(a, b + 1)) + "."
    if kind == 6:
        word = rng.choice(SPELL_WORDS)
        return f"Spell the word {word}.", "-".join(word) + "."
    if kind == 7:
        nums = rng.sample(range(100), rng.randint(3, 6))
        return (f"Put these numbers in order: {', '.join(map(str, nums))}.",
                ", ".join(map(str, sorted(nums))) + ".")
    if kind == 8:
        thing, colour = rng.choice(THINGS)
        return f"What colour is {thing}?", f"{thing[0].upper() + thing[1:]} is {colour}."
    if kind == 9:
        a, b = rng.choice(OPPOSITES)
        if rng.random() < 0.5:
            a, b = b, a
        return f"What is the opposite of {a}?", f"The opposite of {a} is {b}."
    if kind == 10:
        i = rng.randrange(7)
        return f"What day comes after {DAYS[i]}?", f"{DAYS[(i + 1) % 7]} comes after {DAYS[i]}."
    if kind == 11:
        i = rng.randrange(12)
        return f"Which month comes after {MONTHS[i]}?", f"{MONTHS[(i + 1) % 12]} comes after {MONTHS[i]}."
    a, b = rng.sample(range(1000), 2)
    return f"Which is bigger, {a} or {b}?", f"{max(a, b)} is bigger."


def conversation(rng: random.Random, words: list[str]) -> list[tuple[str, str]]:
    """(role, text) messages: optional system prompt, then 1–3 exchanges."""
    messages: list[tuple[str, str]] = []
    if rng.random() < 0.3:
        messages.append(("system", rng.choice(SYSTEM_PROMPTS)))
    for _ in range(rng.choice((1, 1, 2, 3))):
        question, answer = exchange(rng, words)
        messages += [("user", question), ("assistant", answer)]
    return messages
