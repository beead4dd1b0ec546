"""Demo content: the claims reported in one news article of 7 November 2024.

Everything here is faithful to that article (people, quotes, dates, figures); each status
update's rationale cites it. The article's own address is not part of the text we have, so its
source row points to a placeholder on the reserved ``.example`` domain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ARTICLE_URL = "https://news.example/2024/11/07/putin-congratulates-trump-on-election-win"
ARTICLE_TITLE = "Putin Congratulates Trump on Election Win, Welcomes Opportunity for Renewed Dialogue"
ARTICLE_DATE = datetime.date(2024, 11, 7)


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
class DemoClaim:
    slug: str
    claimant: str
    kind: str
    summary: str
    quote: str
    made_on: datetime.date
    excerpt: str
    topics: tuple[str, ...]
    updates: tuple[DemoUpdate, ...] = ()
    parent: str = ""
    deadline: datetime.date | None = None
    must_act: tuple[str, ...] = ()


PEOPLE = [
    DemoPerson(
        "donald-trump",
        "Donald Trump",
        "person",
        "President-elect of the United States",
        "United States",
        "Won the November 2024 presidential election; to be inaugurated as the 47th president on 20 January 2025.",
        "Q22686",
    ),
    DemoPerson(
        "vladimir-putin",
        "Vladimir Putin",
        "person",
        "President of Russia",
        "Russia",
        "President of the Russian Federation, which invaded Ukraine in February 2022.",
        "Q7747",
    ),
    DemoPerson(
        "dmitry-peskov",
        "Dmitry Peskov",
        "person",
        "Kremlin spokesman",
        "Russia",
        "Press secretary of the President of Russia.",
    ),
    DemoPerson(
        "volodymyr-zelenskyy",
        "Volodymyr Zelenskyy",
        "person",
        "President of Ukraine",
        "Ukraine",
        "President of Ukraine since 2019; author of the “victory plan” presented to US leaders in September 2024.",
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
        "Ukraine's Western allies",
        "organisation",
        "Governments backing Ukraine",
        "",
        "The US-led coalition that has supported Kyiv with military aid and sanctions against Moscow.",
    ),
    DemoPerson(
        "nato",
        "NATO",
        "organisation",
        "North Atlantic Treaty Organization",
        "",
        "The military alliance whose members decide on new members by consensus.",
        "Q7184",
    ),
    DemoPerson(
        "institute-for-the-study-of-war",
        "Institute for the Study of War",
        "organisation",
        "Think tank",
        "United States",
        "Washington-based think tank that publishes daily operational updates on the war in Ukraine.",
    ),
]

NOV_6, NOV_7 = datetime.date(2024, 11, 6), datetime.date(2024, 11, 7)
INAUGURATION = datetime.date(2025, 1, 20)

CLAIMS = [
    DemoClaim(
        slug="trump-end-ukraine-war-quickly",
        must_act=("vladimir-putin", "volodymyr-zelenskyy"),
        claimant="donald-trump",
        kind="pledge",
        summary="Trump will bring a quick end to the Russia–Ukraine war",
        quote="Trump has said he would bring a quick end to the war if elected.",
        made_on=NOV_7,
        excerpt="Trump has said he would bring a quick end to the war if elected. While he has not disclosed a "
        "detailed plan—saying that revealing it would undermine its effectiveness—…",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Tracking starts. Trump “said throughout his campaign that he would begin working on ending the "
                "war as soon as he won the election”, but “has not disclosed a detailed plan”. He takes office on "
                "20 January 2025, so there is no action to rate yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="trump-use-relationships-with-putin-and-zelenskyy",
        must_act=("vladimir-putin", "volodymyr-zelenskyy"),
        claimant="donald-trump",
        kind="pledge",
        summary="Trump will use his ties with Putin and Zelenskyy to push them into a settlement",
        quote="He has said he would leverage his established relationships with both Putin and Ukrainian President "
        "Volodymyr Zelenskyy to push the two warring leaders into a settlement.",
        made_on=NOV_7,
        excerpt="he has said he would leverage his established relationships with both Putin and Ukrainian "
        "President Volodymyr Zelenskyy to push the two warring leaders into a settlement.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Both leaders responded to Trump's win: Putin said Trump's words on helping end the Ukrainian "
                "crisis “deserve attention at least”, and Zelenskyy hoped to put “peace through strength” “into "
                "action together”. No talks have been convened yet, so there is nothing to rate.",
            ),
        ),
    ),
    DemoClaim(
        slug="putin-trump-remarks-deserve-attention",
        claimant="vladimir-putin",
        kind="statement",
        summary="Putin: Trump's wish to restore ties and end the Ukrainian crisis “deserves attention at least”",
        quote="What Trump has said about the desire to restore relations with Russia, to help end the Ukrainian "
        "crisis, in my opinion, deserves attention at least.",
        made_on=NOV_7,
        excerpt="He added that what Trump has said “about the desire to restore relations with Russia, to help end "
        "the Ukrainian crisis,“ in his opinion, ”deserves attention at least.”",
        topics=("Russia–Ukraine war", "Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "An opinion, not a checkable fact: Putin gave his view at an international forum in Sochi on 7 "
                "November while congratulating Trump on his win.",
            ),
        ),
    ),
    DemoClaim(
        slug="putin-no-idea-what-to-expect-from-trump",
        claimant="vladimir-putin",
        kind="statement",
        summary="Putin has “no idea” what to expect from a second Trump presidency",
        quote="Putin said he has “no idea” what to expect from a second Trump presidency, noting that it is "
        "Trump's last presidential term and “what he will do is his matter.”",
        made_on=NOV_7,
        excerpt="the Russian president said he has “no idea” what to expect from a second Trump presidency",
        topics=("US–Russia relations",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_7,
                "A statement about Putin's own expectations, which cannot be verified; reported from his remarks "
                "in Sochi on 7 November.",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-moscow-ready-for-talks-with-us",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: Moscow is still prepared to hold talks with the US, including on Ukraine",
        quote="Moscow is still prepared to hold talks with the United States on a range of issues, including the "
        "conflict in Ukraine. Putin has repeatedly said that he is open to a constructive dialogue based on "
        "justice, equality, and mutual respect for each other's concerns.",
        made_on=NOV_6,
        excerpt="Kremlin spokesman Dmitry Peskov told reporters on Nov. 6 that Moscow is still prepared to hold "
        "talks with the United States on a range of issues, including the conflict in Ukraine.",
        topics=("Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_6,
                "A stated position on future talks. Peskov added: “Let's wait and see what happens in January… "
                "We will primarily make conclusions based on [Trump's] statements… and on his first concrete "
                "steps.” Whether Moscow negotiates can only be judged once talks are proposed.",
            ),
        ),
    ),
    DemoClaim(
        slug="peskov-biden-administration-contrary-position-on-talks",
        claimant="dmitry-peskov",
        kind="statement",
        summary="Kremlin: the Biden administration holds a “contrary position” on talks",
        quote="Russia sees the Biden administration as holding a “contrary position” regarding willingness to "
        "engage in talks.",
        made_on=NOV_6,
        excerpt="The Kremlin spokesperson added that Russia sees the Biden administration as holding a “contrary "
        "position” regarding willingness to engage in talks.",
        topics=("Peace talks", "US–Russia relations"),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_6,
                "A characterisation of another government's stance rather than a factual claim; the article "
                "reports it without comment from Washington.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="plan",
        summary="Zelenskyy's “victory plan” to force Moscow into a settlement on terms favourable to Kyiv",
        quote="A “victory plan” to force Moscow into a negotiated settlement of the war on terms favorable to Kyiv.",
        made_on=datetime.date(2024, 9, 26),
        excerpt="Recently, Zelenskyy released details of what he described as a “victory plan” to force Moscow "
        "into a negotiated settlement of the war on terms favorable to Kyiv.",
        topics=("Russia–Ukraine war", "Peace talks"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "In September, Zelenskyy presented the proposal to President Joe Biden, Vice President Kamala "
                "Harris and Trump, “but the extent of U.S. support for the plan remains unclear.”",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-long-range-strikes",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="plan",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: Western approval of long-range strikes on Russian territory",
        quote="The plan calls for Western approval of long-range strikes on Russian territory.",
        made_on=datetime.date(2024, 9, 26),
        excerpt="The plan calls for Western approval of long-range strikes on Russian territory",
        topics=("Russia–Ukraine war", "Military aid"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "Presented to US leaders in September as part of the victory plan; the article says the extent of "
                "US support for the plan “remains unclear”. No approval is reported.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-nato-roadmap",
        must_act=("nato",),
        claimant="volodymyr-zelenskyy",
        kind="plan",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: a roadmap to Ukrainian NATO membership",
        quote="The plan calls for a roadmap to Ukrainian NATO membership.",
        made_on=datetime.date(2024, 9, 26),
        excerpt="a roadmap to Ukrainian NATO membership",
        topics=("Russia–Ukraine war", "NATO"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "Presented to US leaders in September as part of the victory plan; the article says the extent of "
                "US support for the plan “remains unclear”. No roadmap has been offered.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-victory-plan-deterrence-package",
        must_act=("western-allies",),
        claimant="volodymyr-zelenskyy",
        kind="plan",
        parent="zelenskyy-victory-plan",
        summary="Victory plan: a “comprehensive non-nuclear strategic deterrence package” from allies",
        quote="The plan calls for a “comprehensive non-nuclear strategic deterrence package” from Ukraine's "
        "Western allies.",
        made_on=datetime.date(2024, 9, 26),
        excerpt="and a “comprehensive non-nuclear strategic deterrence package” from Ukraine's Western allies",
        topics=("Russia–Ukraine war", "Military aid"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "Presented to US leaders in September as part of the victory plan; the article says the extent of "
                "US support for the plan “remains unclear”. No such package has been announced.",
            ),
        ),
    ),
    DemoClaim(
        slug="zelenskyy-peace-through-strength",
        claimant="volodymyr-zelenskyy",
        kind="statement",
        summary="Zelenskyy: Trump has a “peace through strength” approach to bring “into action together”",
        quote="Zelenskyy characterized Trump as having a “peace through strength” approach and expressed hope for "
        "this principle to be brought “into action together.”",
        made_on=NOV_6,
        excerpt="He characterized Trump as having a “peace through strength” approach, according to a message "
        "posted on the social media platform X on Nov. 6",
        topics=("Peace talks",),
        updates=(
            DemoUpdate(
                "unclear",
                NOV_6,
                "A hope and a characterisation, posted on X on 6 November when Zelenskyy congratulated Trump; "
                "there is no factual claim to check.",
            ),
        ),
    ),
    DemoClaim(
        slug="pentagon-425-million-aid-package",
        claimant="pentagon",
        kind="pledge",
        summary="The Pentagon's $425 million package, the 69th tranche of US military equipment for Kyiv",
        quote="An additional $425 million in military assistance to Ukraine, marking the 69th tranche of U.S. "
        "military equipment sent to Kyiv since mid-2021. The package includes air defense interceptors, "
        "munitions for artillery systems, armored vehicles, and anti-tank weapons.",
        made_on=NOV_7,
        excerpt="The Pentagon recently announced an additional $425 million in military assistance to Ukraine, "
        "marking the 69th tranche of U.S. military equipment sent to Kyiv since mid-2021.",
        topics=("Military aid", "Russia–Ukraine war"),
        updates=(
            DemoUpdate(
                "in-the-works",
                NOV_7,
                "Announced: the package “includes air defense interceptors, munitions for artillery systems, "
                "armored vehicles, and anti-tank weapons”. Delivery has not been reported yet.",
            ),
        ),
    ),
    DemoClaim(
        slug="us-military-aid-to-ukraine-about-60-billion",
        claimant="pentagon",
        kind="factual_claim",
        summary="US military aid to Kyiv totals about $60 billion",
        quote="The latest package brings the total value of military aid that Washington has provided to Kyiv to "
        "about $60 billion.",
        made_on=NOV_7,
        excerpt="bringing the total value of military aid that Washington has provided to Kyiv to about $60 billion.",
        topics=("Military aid",),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "The article gives the running total without a breakdown; we are checking it against the "
                "Pentagon's published list of tranches before rating it.",
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
        made_on=NOV_7,
        excerpt="Russian forces have made advances in multiple parts of Ukraine, including Kupyansk, Svatove, and "
        "Vuhledar, according to the latest operational update by the Institute for the Study of War.",
        topics=("Russia–Ukraine war", "Front line"),
        updates=(
            DemoUpdate(
                "not-yet-rated",
                NOV_7,
                "Reported from the institute's latest operational update; front-line positions change daily and "
                "need geolocated evidence before a verdict.",
            ),
        ),
    ),
    DemoClaim(
        slug="isw-ukraine-strikes-russian-naval-base-in-dagestan",
        claimant="institute-for-the-study-of-war",
        kind="factual_claim",
        summary="ISW: Ukraine's first strike on a Russian naval base in Dagestan damaged missile ships",
        quote="Ukrainian forces launched their first strike on a Russian naval base in Dagestan, reportedly "
        "damaging several missile ships.",
        made_on=NOV_7,
        excerpt="Ukrainian forces launched their first strike on a Russian naval base in Dagestan, reportedly "
        "damaging several missile ships, according to the institute's update.",
        topics=("Russia–Ukraine war", "Front line"),
        updates=(
            DemoUpdate(
                "accurate",
                NOV_7,
                "The institute's update reports the strike on the naval base in Dagestan, the first of its kind.",
            ),
            DemoUpdate(
                "unclear",
                NOV_7,
                "Correction: our first rating treated the whole claim as established. The strike is reported, but "
                "the article says the missile ships were “reportedly” damaged — that part is unconfirmed, so the "
                "claim cannot be rated as a whole yet.",
                corrects_previous=True,
                recorded_on=datetime.date(2024, 11, 8),
            ),
        ),
    ),
]
