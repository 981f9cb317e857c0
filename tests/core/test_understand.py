"""Reading a message: danger first, then needs and figures. Small talk and leaving:
test_understand_asks.py; places that span boroughs: test_understand_spanning.py."""

from __future__ import annotations

import pytest

from bot.core.conversation import Conversation
from bot.core.understand import Intent, Understander
from bot.fronts.plaintext import to_plain

CROYDON, EALING, HOUNSLOW, KC = "E09000008", "E09000009", "E09000018", "E09000020"
LAMBETH, SOUTHWARK = "E09000022", "E09000028"


def read(understander: Understander, text: str) -> Intent:
    return understander.read(text)


def first_line(text: str) -> str:
    return to_plain(text).strip().splitlines()[0]


# -- danger, said or implied, before everything -------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "he's outside the door",
        "HE SAID HE'D KILL ME",
        "locked myself in the bathroom",
        "hes tryna break the door down",
        "he is going 2 kill me",
        "hes outside rn 😱",
        "🆘",
        "emergancy",  # a slip
        "he has a knife",
        "he just grabbed me by the throat",
        "he's been hitting me all night",
        "i dont feel safe going home",
        "dad is hitting mum right now",
        "my neighbour's being attacked right now",
        "he put a pillow over my face",
        "can you send the police",
        "I want to die",
        "croydon figures but also he has a knife",
    ],
)
def test_danger_said_or_implied(understander: Understander, text: str) -> None:
    assert read(understander, text).kind == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not in danger, I just want to know what help there is",
        "not an emergency but i need advice",
        "he was hitting me for years but I left",
        "my husband hits me when he drinks",
        "knife crime stats croydon",
        "emergency accommodation in croydon",
        "how many women are killed by partners in london each year",
        "I hit my girlfriend last night and I hate myself",
        "my flatmate's partner is hurting her, how do i support her",
        "he smashed my phone last week",
    ],
)
def test_not_every_hard_word_is_danger(understander: Understander, text: str) -> None:
    assert read(understander, text).kind != "danger"


@pytest.mark.parametrize(
    "text",
    [
        # he is on the way, whatever else they ask
        "what's the refuge number he's coming",
        "can he see this chat he's coming",
        "he's coming, how do i delete this chat",
        "will he know i used this? he's almost home",
        "he's on his way",
        "he'll be home any minute what do i do",
        "hes nearly here",
        # their own life
        "i took an overdose",
        "i've taken pills",
        "i swallowed a load of paracetamol",
        "i don't want to live anymore",
        "i need an ambulance",
        "please call an ambulance",
        "i'm being held against my will",
        "i'm trapped",
        "i'm trapped in the bedroom",
        "he won't let me leave the house",  # coercive control, maybe now: 999 first
    ],
)
def test_danger_in_passing_or_to_their_own_life(understander: Understander, text: str) -> None:
    assert read(understander, text).kind == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not in danger",
        "I'm not in danger but I need advice about my ex",
        "i'm not suicidal, i just need someone to talk to",
        "i don't need an ambulance, i need advice",
        "i don't need the police, just advice",
        "he's not coming back tonight, can i talk to someone",
        "he is coming to pick up the kids tomorrow",
        "I don't want to live with him anymore",
        "i feel trapped in my marriage",
        "i'm trapped in an abusive relationship",
        "i took my pills this morning",
        "he is being held responsible",
        "they are coming to fix the boiler",
        "my ex is coming to court next week",
    ],
)
def test_what_is_not_danger_now(understander: Understander, text: str) -> None:
    assert read(understander, text).kind != "danger"


def test_danger_keeps_the_borough_but_never_asks(understander: Understander) -> None:
    assert read(understander, "he broke in, I'm in Croydon") == Intent("danger", (CROYDON,))
    spanning = read(understander, "my ex is outside my house in SE1")
    assert spanning == Intent("danger")  # no question when someone is in danger


@pytest.mark.parametrize(
    "text", ["he's outside my flat in SE15", "help he is hurting me", "he's at the door, W4"]
)
def test_a_danger_reply_opens_with_999(conversation: Conversation, text: str) -> None:
    reply = conversation.answer(text)
    assert reply.intent == "danger"
    assert "999" in first_line(reply.text)


# -- who the help is for ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("I'm a man and my wife hits me", "men"),
        ("my gf hits me im a guy", "men"),
        ("my brother's wife hits him", "men"),
        ("can a man get help", "men"),
        ("I'm gay and my boyfriend hits me", "lgbt"),
        ("im a guy and my boyfriend is really controlling", "lgbt"),
        ("my girlfriend is abusive, we're both women", "lgbt"),
        ("my family want me to marry my cousin and I don't want to", "honour"),
        ("they are taking me to pakistan in the summer to get married", "honour"),
        ("my son takes my pension and shouts at me, I'm 78", "older"),
        ("my grandad is scared of my uncle", "older"),
        ("my visa depends on my husband", "minoritised"),
        ("I don't speak much english, my husband hits me", "minoritised"),
        ("I'm deaf and can't use the phone", "deaf"),
        ("my partner raped me last week", "sexual"),
        ("he forced himself on me", "sexual"),
        ("my husband's family say I dishonoured them", "honour"),
        ("i think my mate is in a bad relationship, her fella won't let her out", "friend"),
        ("i'm worried about my own behaviour", "perpetrator"),
        ("I keep shouting at my wife and I hate who I'm becoming", "perpetrator"),
        ("I'm worried about my sister, her husband controls her", "friend"),
        ("bestie's bf is so controlling, how do i help her", "friend"),
        # a friend or relative who carries another need: the more useful services win
        ("my daughter is deaf and her boyfriend hurts her", "deaf"),
        ("my friend was raped at a party", "sexual"),
        ("i'm worried my friend is being forced to marry", "honour"),
    ],
)
def test_needs(understander: Understander, text: str, need: str) -> None:
    intent = read(understander, text)
    assert (intent.kind, intent.need) == ("help", need)


@pytest.mark.parametrize(
    "text",
    [
        "i'm 19, male, and my mum's boyfriend beats me",  # a man, not a friend
        "my dad is abusive to my mum, I'm 15",  # a child, worried about a parent
    ],
)
def test_the_speaker_is_not_mistaken_for_the_abuser(understander: Understander, text: str) -> None:
    assert read(understander, text).need != "perpetrator"


@pytest.mark.parametrize(
    "text",
    [
        "he is being abusive",
        "my partner is being abusive to me",
        "how do i get him to stop hitting me",
        "how do i make my husband stop hurting me",
        "my husband says i am controlling",  # his words about her: a common abuser's line
        "my ex says i'm the abuser",
        "he tells me i'm abusive but he's the one who hits me",
        "she is being really controlling",
        "can you help me change my locks",
    ],
)
def test_abuse_of_the_writer_is_never_the_perpetrator_service(
    understander: Understander, text: str
) -> None:
    intent = read(understander, text)
    assert (intent.kind, intent.need) == ("help", None)


@pytest.mark.parametrize(
    "text",
    [
        "I hit my partner",
        "I'm worried about my own behaviour",
        "I get angry and I scare my wife",
        "i want to stop hitting my wife",
        "how can i stop being so controlling with my girlfriend",
        "i can't stop hitting my kids",
        "my partner says i'm controlling and she's right, who can help me change",
    ],
)
def test_the_writer_behaving_badly_is_the_perpetrator_need(
    understander: Understander, text: str
) -> None:
    intent = read(understander, text)
    assert (intent.kind, intent.need) == ("help", "perpetrator")


@pytest.mark.parametrize(
    "text",
    ["he wont stop hitting me", "she won't stop hurting me", "he never stops hitting me",
     "he won't stop hitting my son", "he keeps hitting me"],
)  # fmt: skip
def test_abuse_that_will_not_stop_is_danger(understander: Understander, text: str) -> None:
    assert read(understander, text).kind == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "where can I get help",
        "he doesnt hit me but he screams and calls me names every day",
        "he keeps barking orders at me and checking where i am",
        "my partner gets really jealous and reads all my messages",
        "i don't know who else to tell",
        "help me find a refuge",
        "i need a refuge",
        "refuge near wembley",
    ],
)
def test_help_however_it_is_put(understander: Understander, text: str) -> None:
    assert read(understander, text).kind == "help"


def test_help_in_a_borough(understander: Understander) -> None:
    assert read(understander, "support in camden") == Intent("help", ("E09000007",))
    assert read(understander, "I live in Croydon") == Intent("help", (CROYDON,))


# -- figures: one borough, compare, ranking, rates, arrests ----------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("croydon", Intent("figures", (CROYDON,))),
        ("u got numbers for croydon?", Intent("figures", (CROYDON,))),
        ("what are the numbers for W6", Intent("figures", ("E09000013",))),
        ("rate per 1000 in ealing", Intent("figures", (EALING,), by_rate=True)),
        ("arrest rate hounslow", Intent("figures", (HOUNSLOW,), arrests=True)),
        ("compare hounslow and ealing", Intent("compare", (HOUNSLOW, EALING))),
        ("K&C versus H&F", Intent("compare", (KC, "E09000013"))),
        ("which is safer, sutton or merton", Intent("compare", ("E09000029", "E09000024"))),
        # every borough named is kept: the core notes those beyond two
        ("croydon hounslow ealing", Intent("compare", (CROYDON, HOUNSLOW, EALING))),
        # a borough compared with a place spanning boroughs: ask which, keep the borough
        (
            "compare W4 and croydon",
            Intent("compare", (CROYDON,), choices=(HOUNSLOW, EALING), place="W4"),
        ),
        (
            "SE1 vs camden",
            Intent("compare", ("E09000007",), choices=(SOUTHWARK, LAMBETH), place="SE1"),
        ),
        ("which borough has the highest figures", Intent("ranking", order="highest")),
        ("safest borough in london", Intent("ranking", order="lowest")),
        # a ranking, lowest or highest figures first (the core adds a caveat)
        ("safest borough", Intent("ranking", order="lowest")),
        ("most dangerous borough", Intent("ranking", order="highest")),
        ("highest rate per 1000 people", Intent("ranking", order="highest", by_rate=True)),
        (
            "which borough has the highest arrest rate",
            Intent("ranking", order="highest", arrests=True),
        ),
        ("rank all boroughs", Intent("ranking", order="all")),
        ("domestic violence in west london", Intent("sub_region", sub_region="West")),
        ("is it going up in croydon?", Intent("trend", (CROYDON,))),
        ("show me a chart", Intent("chart", order="all")),
        ("bar chart ealing", Intent("chart", (EALING,))),
    ],
)
def test_figures_questions(understander: Understander, text: str, intent: Intent) -> None:
    assert read(understander, text) == intent


def test_a_compare_with_a_spanning_place_asks_rather_than_drops_it(
    conversation: Conversation,
) -> None:
    reply = conversation.answer("compare W4 and croydon")
    assert reply.intent == "which_borough"
    chosen = {b.data.split(":")[1].split("-")[0] for row in reply.buttons for b in row}
    assert chosen == {HOUNSLOW, EALING}


def test_two_boroughs_in_a_help_message_are_not_a_comparison(understander: Understander) -> None:
    intent = read(understander, "I live in Croydon but work in Sutton, where can I get help?")
    assert intent.kind == "help" and intent.boroughs[0] == CROYDON
