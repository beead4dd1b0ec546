"""Demo content: the claims reported in one news article of 7 November 2024.

Everything here is drawn from that article alone, as it stood on 7 November 2024: who said what,
in which words, when, and what the article lets a desk conclude. The article's own address and
publisher are not part of the text we have, so its source row points to a placeholder on the
reserved ``.example`` domain and names a placeholder outlet, which is also the claimant for what
the article states in its own voice.

The editorial choices are data, not comments, so they can be read and tested:

- ``wording``: "translation" (or "verbatim") only where the article prints the speaker's words in
  quotation marks, and then the claim text is exactly those words as the article prints them
  (one quoted passage per claim; a trailing comma that belongs to the article's sentence is left
  out). Everything else is reported speech ("paraphrase"), written without quotation marks.
  ``wording_basis`` says why for each claim.
- Dates: no more precise than the article. ``date_basis`` gives the article's words for each.
  Where the article gives no earliest date, the earliest it does support is January 2021: it
  says Russia invaded Ukraine after Trump "left office in January 2021", and every undated claim
  here is about that war or the aid sent since.
- Ratings: "not yet rated" wherever the article gives no basis for a verdict. Opinions,
  expectations, intentions and hopes are "unclear / cannot be rated", which is what that status
  means on the fact-check scale. Every rationale quotes only the article's exact words.
- Not recorded as claims: the congratulations themselves (acts, with nothing to check) and the
  article's own background sentences, except the aid total, which it states as a figure.
- Terms of office: only those the article dates. Trump "will be inaugurated as the 47th president
  on Jan. 20, 2025", and the article gives no end, so that term has none. His first presidency,
  which he "left office in January 2021", is not recorded: the article does not say when it began.
  A pledge belongs to the term only where the article presents it as what he would do as
  president; ``term_basis`` says why, for each of Trump's pledges, it does or does not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ARTICLE_URL = "https://news.example/2024/11/07/putin-congratulates-trump-on-election-win"
ARTICLE_TITLE = "Putin Congratulates Trump on Election Win, Welcomes Opportunity for Renewed Dialogue"
ARTICLE_DATE = datetime.date(2024, 11, 7)
PUBLISHER_SLUG = "demo-news"
PUBLISHER_NAME = "Demo News (placeholder outlet)"


@dataclass(frozen=True)
class DemoPerson:
    slug: str
    name: str
    kind: str
    role: str
    country: str
    bio: str
    wikidata_id: str = ""


@dataclass(frozen=True)
class DemoUpdate:
    status: str
    effective_on: datetime.date
    rationale: str
    corrects_previous: bool = False
    # When the desk recorded and published it (at noon UTC): the day the article appeared.
    recorded_on: datetime.date = ARTICLE_DATE


@dataclass(frozen=True)
class DemoTerm:
    person: str
    office: str
    starts_on: datetime.date
    # None: the article gives no end.
    ends_on: datetime.date | None
    # The article's words the term rests on.
    basis: str


@dataclass(frozen=True)
class DemoClaim:
    slug: str
    claimant: str
    kind: str
    summary: str
    quote: str
    wording: str
    wording_basis: str
    made_on: datetime.date
    date_basis: str
    excerpt: str
    topics: tuple[str, ...]
    updates: tuple[DemoUpdate, ...] = ()
    made_on_precision: str = "day"
    made_until: datetime.date | None = None
    original_language: str = ""
    parent: str = ""
    deadline: datetime.date | None = None
    must_act: tuple[str, ...] = ()
    # The term of office the pledge was made for, if the article presents it as one; and why it is or is not.
    term: DemoTerm | None = None
    term_basis: str = ""


PEOPLE = [
    DemoPerson(
        "donald-trump",
        "Donald Trump",
        "person",
        "President-elect of the United States",
        "United States",
        "Won the 2024 presidential election; to be inaugurated as the 47th president on 20 January 2025. "
        "He left office in January 2021.",
        "Q22686",
    ),
    DemoPerson(
        "vladimir-putin",
        "Vladimir Putin",
        "person",
        "President of Russia",
        "Russia",
        "President of the Russian Federation.",
        "Q7747",
    ),
    DemoPerson(
        "dmitry-peskov",
        "Dmitry Peskov",
        "person",
        "Kremlin spokesman",
        "Russia",
        "Spokesman for the Kremlin.",
    ),
    DemoPerson(
        "volodymyr-zelenskyy",
        "Volodymyr Zelenskyy",
        "person",
        "President of Ukraine",
        "Ukraine",
        "President of Ukraine; author of the “victory plan” he presented to US leaders in September 2024.",
        "Q3874799",
    ),
    DemoPerson(
        "pentagon",
        "The Pentagon",
        "organisation",
        "United States Department of Defense",
        "United States",
        "Announces the tranches of US military assistance to Ukraine.",
        "Q11209",
    ),
    DemoPerson(
        "western-allies",
        "Ukraine’s Western allies",
        "organisation",
        "Governments backing Ukraine",
        "",
        "The US-led coalition that has backed Kyiv, chiefly with military support and sanctions against Moscow.",
    ),
    DemoPerson(
        "nato",
        "NATO",
        "organisation",
        "North Atlantic Treaty Organization",
        "",
        "Ukraine’s victory plan calls for a roadmap to membership of this military alliance.",
        "Q7184",
    ),
    DemoPerson(
        "institute-for-the-study-of-war",
        "Institute for the Study of War",
        "organisation",
        "Think tank",
        "United States",
        "Publishes operational updates on the war in Ukraine.",
    ),
    DemoPerson(
        PUBLISHER_SLUG,
        PUBLISHER_NAME,
        "organisation",
        "News outlet (placeholder)",
        "",
        "Stands in for the publisher of the demo article, whose name and address are not part of the text the "
        "demo is built from. It is the claimant for what the article states in its own voice.",
    ),
]

TRUMP_PRESIDENCY = DemoTerm(
    person="donald-trump",
    office="President of the United States",
    starts_on=datetime.date(2025, 1, 20),
    ends_on=None,
    basis="Trump “will be inaugurated as the 47th president on Jan. 20, 2025”. The article gives no end of "
    "the term; Putin notes only that “it is Trump’s last presidential term”.",
)
TERMS = [TRUMP_PRESIDENCY]
FOR_THE_PRESIDENCY = (
    "A pledge of what Trump would do “if elected”, that is as the president who “will be inaugurated as the 47th "
    "president on Jan. 20, 2025”: it belongs to that term."
)

NOV_6, NOV_7, NOV_8 = datetime.date(2024, 11, 6), datetime.date(2024, 11, 7), datetime.date(2024, 11, 8)
SEPTEMBER_2024 = datetime.date(2024, 9, 1)
# The earliest date the article supports for its undated claims (see the module docstring).
AFTER_TRUMP_LEFT_OFFICE = datetime.date(2021, 1, 1)

PARAPHRASE_OF_ARTICLE = "The article reports this in its own words, without quotation marks: reported speech."
PUTIN_IN_RUSSIAN = (
    "The article prints these words in quotation marks, in English only, and does not name the language "
    "they were spoken in. Putin spoke at a forum in Sochi, Russia, and speaks in public in Russian, so the "
    "English is recorded as a translation from Russian; the article does not give the original."
)
PESKOV_IN_RUSSIAN = (
    "The article prints these words in quotation marks, in English only, and does not name the language "
    "they were spoken in. Peskov is the Kremlin’s spokesman, whose briefings are in Russian, so the English "
    "is recorded as a translation from Russian; the article does not give the original. Square brackets "
    "are the article’s insertions."
)
PESKOV_AFTER_NOV_6 = (
    "The article reports this right after Peskov’s remarks to reporters “on Nov. 6” but does not date it: "
    "between 6 November 2024 and the article, 7 November 2024."
)
SOCHI_NOV_7 = "“Speaking at an international forum in Sochi, Russia, on Nov. 7”: 7 November 2024."
UNDATED = (
    "The article does not say when: no later than the article (7 November 2024) and no earlier than 2021, "
    "since it concerns the war Russia began after Trump “left office in January 2021”."
)
IF_ELECTED = (
    "Undated; made “if elected”, so before his election win, on which Zelenskyy congratulated him by 6 "
    "November (a message posted on “X on Nov. 6”); and about the war that began after Trump “left office in "
    "January 2021”."
)
IN_SEPTEMBER = (
    "“In September, Zelenskyy presented the proposal”: the article is from November 2024 and says he released "
    "the plan’s details “Recently”, so September 2024; it gives no day."
)
TRACKING_STARTS_PLAN_COMPONENT = "Part of the victory plan Zelenskyy presented to US leaders in September."

CLAIMS = [
    DemoClaim(
        slug="putin-trump-remarks-deserve-attention",
        claimant="vladimir-putin",
        kind="statement",
        summary="Putin: what Trump said about helping end the Ukrainian crisis “deserves attention at least”",
        quote="deserves attention at least.",
        wording="translation",
        original_language="ru",
        wording_basis=PUTIN_IN_RUSSIAN + " The first quoted passage, naming what Trump said, is in the excerpt.",
        made_on=NOV_7,
        date_basis=SOCHI_NOV_7,
        excerpt="He added that what Trump has said “about the desire to restore relations with Russia, to help end "
        "the Ukrainian crisis,“ in his opinion, ”deserves attention at least.”",
        topics=("Russia–Ukraine war", "Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "An opinion, and the article reports it as one (“in his opinion”): Putin’s view of what Trump "
                "has said, given at an international forum in Sochi on 7 November. There is no fact in it to check.",
            ),
        ),
    ),
    DemoClaim(
        slug="putin-no-idea-what-to-expect-from-trump",
        claimant="vladimir-putin",
        kind="statement",
        summary="Putin says he does not know what to expect from a second Trump presidency",
        quote="Putin said he does not know what to expect from a second Trump presidency, noting that it is "
        "Trump’s last presidential term and that what Trump will do is up to him.",
        wording="paraphrase",
        wording_basis="The article quotes only two short passages of this remark; the claim is the article’s "
        "report of the whole remark, reworded without quotation marks.",
        made_on=NOV_7,
        date_basis="“In his remarks in Sochi”, made at the forum there “on Nov. 7”: 7 November 2024.",
        excerpt="In his remarks in Sochi, the Russian president said he has “no idea” what to expect from a second "
        "Trump presidency, noting that it is Trump’s last presidential term and “what he will do is his matter.”",
        topics=("US–Russia relations",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "Putin’s own expectations, which cannot be checked: he said he has “no idea” what to expect.",
            ),
        ),
    ),
    DemoClaim(
        slug="trump-end-ukraine-war-quickly",
        must_act=("vladimir-putin", "volodymyr-zelenskyy"),
        claimant="donald-trump",
        kind="pledge",
        summary="Trump will bring a quick end to the Russia–Ukraine war if elected",
        quote="Trump has said he would bring a quick end to the war if elected.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_6,
        date_basis=IF_ELECTED,
        term=TRUMP_PRESIDENCY,
        term_basis=FOR_THE_PRESIDENCY,
        excerpt="Trump has said he would bring a quick end to the war if elected.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Tracking starts. The article does not say when Trump made this pledge: “if elected” places it "
                "before his election win, which Zelenskyy congratulated him on by 6 November, and the war began "
                "after Trump left office in January 2021, hence the range of dates. Trump “has not disclosed a "
                "detailed plan” and takes office on 20 January 2025, so there is nothing to rate yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="trump-use-relationships-with-putin-and-zelenskyy",
        must_act=("vladimir-putin", "volodymyr-zelenskyy"),
        claimant="donald-trump",
        kind="pledge",
        summary="Trump will use his ties with Putin and Zelenskyy to push them into a settlement",
        quote="Trump has said he would leverage his established relationships with both Putin and Ukrainian "
        "President Volodymyr Zelenskyy to push the two warring leaders into a settlement.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=UNDATED,
        excerpt="he has said he would leverage his established relationships with both Putin and Ukrainian "
        "President Volodymyr Zelenskyy to push the two warring leaders into a settlement.",
        term=TRUMP_PRESIDENCY,
        term_basis="How Trump would keep his pledge to “bring a quick end to the war if elected”, which the "
        "article’s sentence continues: what he would do as president, so it belongs to that term.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Tracking starts. The article does not say when Trump said this; it concerns the leaders of a war "
                "that began after he left office in January 2021. Putin welcomed “Trump’s pledge to engage with "
                "Moscow and Kyiv”, but the article reports no talks yet, so there is nothing to rate.",
            ),
        ),
    ),
    DemoClaim(
        slug="trump-revealing-plan-would-undermine-it",
        claimant="donald-trump",
        kind="statement",
        summary="Trump: revealing his plan to end the war would undermine its effectiveness",
        quote="Trump has said that revealing a detailed plan to end the war would undermine its effectiveness.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=UNDATED,
        excerpt="While he has not disclosed a detailed plan—saying that revealing it would undermine its "
        "effectiveness—",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A prediction about a plan Trump “has not disclosed”: it cannot be checked while the plan is not "
                "public.",
            ),
        ),
    ),
    DemoClaim(
        slug="trump-begin-ending-war-as-soon-as-he-won",
        claimant="donald-trump",
        kind="pledge",
        summary="Trump will begin working on ending the war as soon as he wins the election",
        quote="Trump said throughout his campaign that he would begin working on ending the war as soon as he won "
        "the election.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_6,
        date_basis="“throughout his campaign”, which the article does not date: before his election win, on which "
        "Zelenskyy congratulated him by 6 November (a message posted on “X on Nov. 6”), and about the war that "
        "began after Trump “left office in January 2021”.",
        excerpt="Trump, who said throughout his campaign that he would begin working on ending the war as soon as "
        "he won the election, will be inaugurated as the 47th president on Jan. 20, 2025.",
        term_basis="Not a pledge for his presidency: he would begin “as soon as he won the election”, which is "
        "before he “will be inaugurated as the 47th president on Jan. 20, 2025”.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Tracking starts. The article says Trump made this pledge “throughout his campaign” but does not "
                "date the campaign: we date it no earlier than January 2021, when he left office (the war began "
                "after that), and no later than 6 November 2024, when Zelenskyy congratulated him on his win. The "
                "article reports no work on ending the war yet; Trump “will be inaugurated as the 47th president "
                "on Jan. 20, 2025.”",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-moscow-ready-for-talks-with-us",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: Moscow is still prepared to hold talks with the US, including on Ukraine",
        quote="Moscow is still prepared to hold talks with the United States on a range of issues, including the "
        "conflict in Ukraine.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=NOV_6,
        date_basis="“Kremlin spokesman Dmitry Peskov told reporters on Nov. 6”: 6 November 2024.",
        excerpt="Kremlin spokesman Dmitry Peskov told reporters on Nov. 6 that Moscow is still prepared to hold "
        "talks with the United States on a range of issues, including the conflict in Ukraine.",
        topics=("Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A stated readiness to talk, which cannot be checked until talks are proposed. Peskov said Moscow "
                "would judge Trump by his statements “and on his first concrete steps.”",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-putin-open-to-constructive-dialogue",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: Putin has repeatedly said he is open to a “constructive dialogue” with Washington",
        quote="has repeatedly said that he is open to a constructive dialogue [with Washington] based on justice, "
        "equality, and mutual respect for each other’s concerns.",
        wording="translation",
        original_language="ru",
        wording_basis=PESKOV_IN_RUSSIAN,
        made_on=NOV_6,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=PESKOV_AFTER_NOV_6,
        excerpt="Peskov said that Putin “has repeatedly said that he is open to a constructive dialogue [with "
        "Washington] based on justice, equality, and mutual respect for each other’s concerns.”",
        topics=("Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Whether Putin has repeatedly said so can be checked against his public statements, which the "
                "article does not cite; we have not checked them yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-biden-administration-contrary-position-on-talks",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: the Biden administration holds a “contrary position” on talks",
        quote="Russia sees the Biden administration as taking the opposite position on willingness to engage in talks.",
        wording="paraphrase",
        wording_basis="The article quotes only two words of this (“contrary position”); the claim is its report "
        "of the remark, reworded without quotation marks.",
        made_on=NOV_6,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=PESKOV_AFTER_NOV_6,
        excerpt="The Kremlin spokesperson added that Russia sees the Biden administration as holding a “contrary "
        "position” regarding willingness to engage in talks.",
        topics=("Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "A characterisation of the Biden administration’s stance that the article reports without a "
                "response from Washington; we have not checked it yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-wait-and-see-what-happens-in-january",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin on Trump: “Let’s wait and see what happens in January”",
        quote="Let’s wait and see what happens in January",
        wording="translation",
        original_language="ru",
        wording_basis=PESKOV_IN_RUSSIAN,
        made_on=NOV_6,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=PESKOV_AFTER_NOV_6,
        excerpt="“Let’s wait and see what happens in January,” Peskov said.",
        topics=("US–Russia relations",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A wait-and-see stance, not a statement of fact: there is nothing in it to check.",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-moscow-will-judge-trump-by-statements-and-first-steps",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: Moscow will judge Trump by his statements and “his first concrete steps”",
        quote="We will primarily make conclusions based on [Trump’s] statements on issues that are on our agenda, "
        "when we receive them, and on his first concrete steps.",
        wording="translation",
        original_language="ru",
        wording_basis=PESKOV_IN_RUSSIAN,
        made_on=NOV_6,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis=PESKOV_AFTER_NOV_6,
        excerpt="“We will primarily make conclusions based on [Trump’s] statements on issues that are on our "
        "agenda, when we receive them, and on his first concrete steps.”",
        topics=("US–Russia relations",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A statement of how Moscow intends to judge Trump; an intention cannot be checked.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-peace-through-strength",
        claimant="volodymyr-zelenskyy",
        kind="statement",
        summary="Zelenskyy: Trump has a “peace through strength” approach, to be brought “into action together”",
        quote="Zelenskyy characterized Trump as having a peace-through-strength approach and expressed hope that "
        "the principle would be put into practice together.",
        wording="paraphrase",
        wording_basis="The article quotes two phrases from Zelenskyy’s message on X but does not say what "
        "language it was written in, so it cannot be told whether they are his own words or a translation; the "
        "claim is the article’s report of the message, without quotation marks.",
        made_on=NOV_6,
        date_basis="“a message posted on the social media platform X on Nov. 6”: 6 November 2024.",
        excerpt="He characterized Trump as having a “peace through strength” approach, according to a message "
        "posted on the social media platform X on Nov. 6, in which he expressed hope for this principle to be "
        "brought “into action together.”",
        topics=("Peace talks",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A characterisation of Trump and a hope for the future, from a message Zelenskyy posted on X on 6 "
                "November when he congratulated Trump: neither can be checked.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="plan",
        summary="Zelenskyy’s “victory plan” to force Moscow into a settlement on terms favourable to Kyiv",
        quote="Zelenskyy released details of a victory plan to force Moscow into a negotiated settlement of the war "
        "on terms favorable to Kyiv.",
        wording="paraphrase",
        wording_basis="The article quotes only the plan’s name (“victory plan”); the claim is its report of the "
        "plan, without quotation marks.",
        made_on=SEPTEMBER_2024,
        made_on_precision="month",
        date_basis=IN_SEPTEMBER,
        excerpt="Recently, Zelenskyy released details of what he described as a “victory plan” to force Moscow "
        "into a negotiated settlement of the war on terms favorable to Kyiv.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "In September, Zelenskyy “presented the proposal to President Joe Biden, Vice President Kamala "
                "Harris, and Trump”: talks with the allies whose support the plan needs. The article adds that "
                "“the extent of U.S. support for the plan remains unclear.”",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-long-range-strikes",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="pledge",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: Western approval of long-range strikes on Russian territory",
        quote="The plan calls for Western approval of long-range strikes on Russian territory.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=SEPTEMBER_2024,
        made_on_precision="month",
        date_basis=IN_SEPTEMBER,
        excerpt="The plan calls for Western approval of long-range strikes on Russian territory",
        topics=("Russia–Ukraine war", "Military aid"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                TRACKING_STARTS_PLAN_COMPONENT + " The article reports no Western decision on long-range strikes.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-nato-roadmap",
        must_act=("nato",),
        claimant="volodymyr-zelenskyy",
        kind="pledge",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: a roadmap to Ukrainian NATO membership",
        quote="The plan calls for a roadmap to Ukrainian NATO membership.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=SEPTEMBER_2024,
        made_on_precision="month",
        date_basis=IN_SEPTEMBER,
        excerpt="a roadmap to Ukrainian NATO membership",
        topics=("Russia–Ukraine war", "NATO"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                TRACKING_STARTS_PLAN_COMPONENT + " The article reports no roadmap to NATO membership.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-deterrence-package",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="pledge",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: a “comprehensive non-nuclear strategic deterrence package” from allies",
        quote="The plan calls for Ukraine’s Western allies to provide a comprehensive package of non-nuclear "
        "strategic deterrence.",
        wording="paraphrase",
        wording_basis="The article quotes the name of the package but not who worded it; the claim is its report "
        "of this part of the plan, reworded without quotation marks.",
        made_on=SEPTEMBER_2024,
        made_on_precision="month",
        date_basis=IN_SEPTEMBER,
        excerpt="and a “comprehensive non-nuclear strategic deterrence package” from Ukraine’s Western allies",
        topics=("Russia–Ukraine war", "Military aid"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                TRACKING_STARTS_PLAN_COMPONENT + " The article reports no such package from Ukraine’s allies.",
            ),
        ),
    ),
    DemoClaim(
        slug="pentagon-425-million-aid-package",
        claimant="pentagon",
        kind="pledge",
        summary="The Pentagon’s $425 million package, the 69th tranche of US military equipment for Kyiv",
        quote="The Pentagon announced an additional $425 million in military assistance to Ukraine.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis="“recently announced”, with no date: no later than the article (7 November 2024), and after "
        "the first tranche “since mid-2021”, so no earlier than 2021.",
        excerpt="The Pentagon recently announced an additional $425 million in military assistance to Ukraine, "
        "marking the 69th tranche of U.S. military equipment sent to Kyiv since mid-2021.",
        topics=("Military aid", "Russia–Ukraine war"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Tracking starts. The article says the package “includes air defense interceptors, munitions for "
                "artillery systems, armored vehicles, and anti-tank weapons”, but it does not report when or "
                "whether they were delivered, so there is nothing to rate yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="us-military-aid-to-ukraine-about-60-billion",
        claimant=PUBLISHER_SLUG,
        kind="factual_claim",
        summary="US military aid to Kyiv totals about $60 billion",
        quote="The latest package brings the total value of military aid that Washington has provided to Kyiv to "
        "about $60 billion.",
        wording="paraphrase",
        wording_basis="The article states the total in its own voice, attributing it to no one, so the outlet is "
        "the claimant; its sentence is recast as reported speech, without quotation marks.",
        made_on=ARTICLE_DATE,
        date_basis="Stated by the article itself, published on 7 November 2024.",
        excerpt="bringing the total value of military aid that Washington has provided to Kyiv to about $60 billion.",
        topics=("Military aid",),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "The article gives the running total in its own voice, without a source or a breakdown by "
                "tranche; we have not checked it yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="isw-russian-advances-kupyansk-svatove-vuhledar",
        claimant="institute-for-the-study-of-war",
        kind="factual_claim",
        summary="ISW: Russian forces advanced near Kupyansk, Svatove and Vuhledar",
        quote="Amid intensified offensive operations, Russian forces have made advances in multiple parts of "
        "Ukraine, including Kupyansk, Svatove, and Vuhledar.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis="From “the latest operational update by the Institute for the Study of War”, which the article "
        "does not date: no later than the article, and about the war Russia began after Trump “left office in "
        "January 2021”.",
        excerpt="Russian forces have made advances in multiple parts of Ukraine, including Kupyansk, Svatove, and "
        "Vuhledar, according to the latest operational update by the Institute for the Study of War.",
        topics=("Russia–Ukraine war", "Front line"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Reported from “the latest operational update by the Institute for the Study of War”, which the "
                "article does not date or corroborate; front-line advances need evidence beyond the article.",
            ),
        ),
    ),
    DemoClaim(
        slug="isw-ukraine-strikes-russian-naval-base-in-dagestan",
        claimant="institute-for-the-study-of-war",
        kind="factual_claim",
        summary="ISW: Ukraine’s first strike on a Russian naval base in Dagestan damaged missile ships",
        quote="Ukrainian forces launched their first strike on a Russian naval base in Dagestan, reportedly "
        "damaging several missile ships.",
        wording="paraphrase",
        wording_basis=PARAPHRASE_OF_ARTICLE,
        made_on=AFTER_TRUMP_LEFT_OFFICE,
        made_on_precision="range",
        made_until=NOV_7,
        date_basis="From “the institute’s update”, which the article does not date: no later than the article, "
        "and about the war Russia began after Trump “left office in January 2021”.",
        excerpt="Ukrainian forces launched their first strike on a Russian naval base in Dagestan, reportedly "
        "damaging several missile ships, according to the institute’s update.",
        topics=("Russia–Ukraine war", "Front line"),
        updates=(
            DemoUpdate(
                "accurate",
                NOV_7,
                "The institute’s update reports the strike, the first on a Russian naval base in Dagestan.",
            ),
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Correction: our first rating treated the claim as confirmed. The article only relays it, "
                "“according to the institute’s update”, and says the missile ships were “reportedly” damaged; "
                "nothing in it confirms the strike or the damage independently, so the claim is not rated yet.",
                corrects_previous=True,
                recorded_on=NOV_8,
            ),
        ),
    ),
]
