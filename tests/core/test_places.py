"""Places in free text: names, aliases, misspellings, postcodes, neighbourhoods, outside London."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.conversation import Conversation
from bot.core.place_mentions import Places, Unsure
from bot.core.places import Gazetteer, normalise
from bot.data import dataset
from bot.data.store import Store
from bot.domain.models import Borough, Place

CROYDON, CAMDEN, HARROW = "E09000008", "E09000007", "E09000015"
EALING, HOUNSLOW, HF, KC = "E09000009", "E09000018", "E09000013", "E09000020"
LAMBETH, SOUTHWARK, MERTON, WANDSWORTH = "E09000022", "E09000028", "E09000024", "E09000032"
CITY, BD, TH, WF, NEWHAM = "E09000001", "E09000002", "E09000030", "E09000031", "E09000025"
BEXLEY, BROMLEY, HILLINGDON, WESTMINSTER = "E09000004", "E09000006", "E09000017", "E09000033"


@pytest.fixture(scope="module")
def gazetteer(store: Store) -> Gazetteer:
    return Gazetteer(store.boroughs.values(), store.places)


def boroughs(gazetteer: Gazetteer, text: str) -> tuple[str, ...]:
    return gazetteer.find(text).boroughs


# -- names, aliases, misspellings ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("croydon", CROYDON),
        ("CROYDON!!", CROYDON),
        ("K&C", KC),
        ("RBKC figures", KC),
        ("royal borough of kensington and chelsea", KC),
        ("kensington n chelsea", KC),
        ("H&F", HF),
        ("LBHF", HF),
        ("hammersmith and fulham", HF),
        ("the City", CITY),
        ("City of London", CITY),
        ("Kingston upon Thames", "E09000021"),
        ("Kingston-upon-Thames", "E09000021"),
        ("kingston", "E09000021"),
        ("richmond", "E09000027"),
        ("Barking and Dagenham", BD),
        ("tower hamlets", TH),
        ("croydon's figures", CROYDON),
        # misspellings: one slip in a short name, two in a long one
        ("croyden", CROYDON),
        ("hounslo", HOUNSLOW),
        ("westmister", WESTMINSTER),
        ("lewisam", "E09000023"),
        ("hackny", "E09000012"),
        ("islinton", "E09000019"),
        ("southwork", SOUTHWARK),
        ("harow", HARROW),
        ("tower hamlet", TH),
        ("waltham forrest", WF),
        ("barking and dagenam", BD),
        ("Croydön", CROYDON),
    ],
)
def test_boroughs_however_written(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert boroughs(gazetteer, text) == (code,)


def test_camden_is_never_croydon_and_harrow_never_barrow(gazetteer: Gazetteer) -> None:
    assert boroughs(gazetteer, "camden") == (CAMDEN,)
    assert boroughs(gazetteer, "harrow") == (HARROW,)
    barrow = gazetteer.find("I live in Barrow")
    assert barrow.boroughs == () and barrow.outside == ("Barrow",)


@pytest.mark.parametrize(
    "text",
    [
        "help please, sorry, I'm scared, he keeps hitting me",
        "london",
        "I live in London",
        "he's been hovering over me all day",  # one letter from Havering
        "I was battered for years",  # two letters from Battersea
        "he kept dealing and healing and sealing",  # a letter from Ealing
        "the dog keeps barking",  # Barking is a place only when said as one
        "bow down",
        "tears welling up",
        "lee keeps calling me names",
        "victoria told me to message you",
        "i need to talk to someone but i cant call",  # not "Cann Hall"
        "i'm reading too much into it",
        "my name is Chelsea",  # a person, not a place
        "I'm Brent, I need help",
        "can you call the police",
        "wait w8 for me",  # text-speak, not the W8 district
        "the stranger at the bank",
        "",
        "🙂🙂🙂",
    ],
)
def test_ordinary_words_are_never_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(text) == Places()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I live in Barking", BD),
        ("barking stats please", BD),
        ("i'm in bow", TH),
        ("near angel station", "E09000019"),
    ],
)
def test_an_everyday_word_is_a_place_when_said_as_one(
    gazetteer: Gazetteer, text: str, code: str
) -> None:
    assert boroughs(gazetteer, text) == (code,)


def test_a_borough_in_passing_in_a_long_message(gazetteer: Gazetteer) -> None:
    text = (
        "sorry this is long, I've been with him for years and at first it was fine but now he "
        "checks my phone and won't let me see my friends, my mum says I'm overreacting, "
        "anyway I'm renting a room in Tooting and I don't know where to turn"
    )
    assert boroughs(gazetteer, text) == (WANDSWORTH,)


def test_two_boroughs_in_the_order_written(gazetteer: Gazetteer) -> None:
    assert boroughs(gazetteer, "compare hounslow and ealing") == (HOUNSLOW, EALING)
    assert boroughs(gazetteer, "ealing vs hounslow") == (EALING, HOUNSLOW)
    assert boroughs(gazetteer, "croydon, then croydon again") == (CROYDON,)


# -- postcodes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("W6", HF),
        ("w6", HF),
        ("cr0 1ab", CROYDON),
        ("CR01AB", CROYDON),
        ("numbers for CR0 2JR", CROYDON),
        ("sw1a 1aa", WESTMINSTER),  # a sub-district falls back to SW1A
        ("I live in W8", KC),
        ("E17", WF),
        ("figures for E14", TH),
    ],
)
def test_postcode_districts_and_full_postcodes(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert boroughs(gazetteer, text) == (code,)


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("W4", {EALING, HOUNSLOW}),
        ("SE1", {SOUTHWARK, LAMBETH}),
        ("se1 7pb", {SOUTHWARK, LAMBETH}),
        ("crystal palace", {BROMLEY, CROYDON, LAMBETH, SOUTHWARK}),
        ("hayes", {BROMLEY, HILLINGDON}),  # two places of the same name
        ("clapham", {LAMBETH, WANDSWORTH}),
        ("Bedford Park", {EALING, HOUNSLOW}),
    ],
)
def test_a_place_that_spans_boroughs_is_never_guessed(
    gazetteer: Gazetteer, text: str, choices: set[str]
) -> None:
    places = gazetteer.find(text)
    assert places.boroughs == ()
    assert len(places.unsure) == 1 and set(places.unsure[0].boroughs) == choices


def test_another_place_in_the_message_settles_a_spanning_one(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("W4, Chiswick") == Places((HOUNSLOW,))
    assert gazetteer.find("Acton Green W4 in Ealing") == Places((EALING,))
    assert gazetteer.find("SE1 near Bermondsey") == Places((SOUTHWARK,))


def test_a_district_partly_outside_london_says_so(gazetteer: Gazetteer) -> None:
    (unsure,) = gazetteer.find("DA1").unsure
    assert unsure.boroughs == (BEXLEY,) and unsure.partly_outside


# -- neighbourhoods and places outside London ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Brixton", LAMBETH),
        ("acton", EALING),
        ("Wimbledon", MERTON),
        ("peckham", SOUTHWARK),
        ("stratford", NEWHAM),
        ("Walthamstow", WF),
        ("east acton", HF),  # the longer name wins over "Acton"
        ("west kensington", HF),  # ... and over "Kensington"
        ("Liverpool Street", CITY),  # ... and over "Liverpool"
        ("white chapel", TH),  # a one-word name written as two
        ("brixon", LAMBETH),  # and misspelt
        ("peckam", SOUTHWARK),
        ("stratfrod", NEWHAM),
    ],
)
def test_neighbourhoods(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert boroughs(gazetteer, text) == (code,)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I'm in Manchester", "Manchester"),
        ("kent", "Kent"),
        ("Birmingam", "Birmingham"),
        ("M1 1AE", "M1"),
        ("LS6 2AB", "LS6"),
        ("kingston upon hull", "Kingston upon Hull"),
        ("sutton coldfield", "Sutton Coldfield"),
        ("stratford upon avon", "Stratford upon Avon"),
        ("I live in Dartford", "Dartford"),
        ("I'm in Reading", "Reading"),
    ],
)
def test_places_outside_london(gazetteer: Gazetteer, text: str, name: str) -> None:
    assert gazetteer.find(text) == Places(outside=(name,))


def test_a_name_in_london_and_outside_it_is_asked_about(gazetteer: Gazetteer) -> None:
    """Farnborough is in Bromley and in Hampshire: never tell someone in Bromley that
    they live outside London; ask, unless the message settles it."""
    for text in ("Farnborough", "farnborough figures", "Farnbrough"):
        places = gazetteer.find(text)
        assert places.boroughs == () and places.outside == ()
        (unsure,) = places.unsure
        assert unsure == Unsure("Farnborough", (BROMLEY,), partly_outside=True)


@pytest.mark.parametrize(
    "text",
    [
        "farnborough, bromley",
        "Farnborough BR6",
        "farnborough near orpington",
        "stats for farnborough in london",
    ],
)
def test_a_london_context_settles_the_name_in_london(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find(text).boroughs == (BROMLEY,)
    assert gazetteer.find(text).outside == ()


@pytest.mark.parametrize(
    "text", ["farnborough in hampshire", "Farnborough GU14 6AB", "farnborough, not in london"]
)
def test_somewhere_else_outside_london_settles_it_outside(gazetteer: Gazetteer, text: str) -> None:
    places = gazetteer.find(text)
    assert places.boroughs == () and places.unsure == ()
    assert "Farnborough" in places.outside


def test_the_question_about_farnborough_offers_bromley_or_outside(
    conversation: Conversation,
) -> None:
    reply = conversation.answer("Farnborough")
    assert reply.intent == "which_borough"
    assert [b.data for row in reply.buttons for b in row] == [f"fig:{BROMLEY}"]
    assert "outside London" in reply.text


def test_reading_and_bath_are_words_until_said_as_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.find("I keep reading his messages in the bath") == Places()


def test_london_comes_first_when_both_are_named(gazetteer: Gazetteer) -> None:
    places = gazetteer.find("I moved from Leeds to Croydon")
    assert places.boroughs == (CROYDON,) and places.outside == ("Leeds",)


def test_a_service_named_after_a_place_is_not_the_place(conversation: Conversation) -> None:
    assert conversation.understander.gazetteer.find("Southall Black Sisters") == Places()
    assert conversation.understander.gazetteer.find("Southall") == Places((EALING,))


def test_normalise() -> None:
    assert normalise("King\u2019s Cross & St. Pancras!") == "kings cross and st pancras"
    assert normalise("Croydön") == "croydon"


def test_fuzzy_ties_are_not_guessed() -> None:
    """Two places equally close to a misspelling: no match rather than a guess."""
    two = [
        Borough("E09000097", "Harrow", "Outer", "West", 1, "Metropolitan Police"),
        Borough("E09000098", "Harlow", "Outer", "East", 1, "Metropolitan Police"),
    ]
    assert Gazetteer(two).find("harow").boroughs == ()
    assert Gazetteer(two).find("harlow").boroughs == ("E09000098",)
    assert Gazetteer(two[:1]).find("harow").boroughs == ("E09000097",)


# -- the data behind it ---------------------------------------------------------------------------


def test_the_store_holds_every_place_file(store: Store) -> None:
    kinds = {p.kind for p in store.places}
    assert kinds == {"district", "neighbourhood", "outside"}
    by_name = {(p.kind, p.name): p for p in store.places}
    assert by_name[("district", "W4")].boroughs == (HOUNSLOW, EALING)
    assert by_name[("district", "DA1")].outside_london == "partly"
    assert by_name[("neighbourhood", "Bow")].ordinary_word
    assert by_name[("outside", "Manchester")] == Place("Manchester", "outside", (), "yes")


def test_every_place_row_has_a_source(repo_data: Path) -> None:
    rows = dataset.check(repo_data).tables["places"]
    assert len(rows) > 900
    assert all(row["source"] for row in rows)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        pytest.param(
            "postcode_districts.csv", "\nW6,E09000013,no", "\nW6,E09000099,no",
            "postcode_districts.csv, line 297: unknown borough 'E09000099'", id="unknown-borough",
        ),
        pytest.param(
            "postcode_districts.csv", "\nW6,E09000013,no", "\n6W,E09000013,no",
            "postcode_districts.csv, line 297: district '6W' is not a postcode district",
            id="bad-district",
        ),
        pytest.param(
            "postcode_districts.csv", "\nW6,E09000013,no", "\nW6,E09000013,maybe",
            "postcode_districts.csv, line 297: outside_london must be no, partly or yes",
            id="bad-outside",
        ),
        pytest.param(
            "postcode_districts.csv", "\nW6,E09000013,no", "\nW6,,no",
            "postcode_districts.csv, line 297: boroughs must be empty exactly when",
            id="no-borough",
        ),
        pytest.param(
            "neighbourhoods.csv", "\nBrixton,E09000022,no", "\nBrixton,E09000022,perhaps",
            "neighbourhoods.csv, line 64: ordinary_word must be yes or no", id="bad-yes-no",
        ),
        pytest.param(
            "places_outside_london.csv", "\nLeeds,city,no,Project compilation: outside Greater "
            "London (ONS local authority geography)", "\nLeeds,city,no,",
            "places_outside_london.csv, line 126: source is empty", id="no-source",
        ),
        pytest.param(
            "places_outside_london.csv", "\nLeeds,city", "\nLeeds,village",
            "places_outside_london.csv, line", id="bad-kind",
        ),
    ],
)  # fmt: skip
def test_bad_place_data_is_refused_with_file_and_line(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    path = data_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(dataset.DataError) as raised:
        dataset.check(data_copy)
    assert message in str(raised.value)


def test_place_files_are_optional(data_copy: Path) -> None:
    for name in ("postcode_districts.csv", "neighbourhoods.csv", "places_outside_london.csv"):
        (data_copy / name).unlink()
    assert dataset.check(data_copy).tables["places"] == []
