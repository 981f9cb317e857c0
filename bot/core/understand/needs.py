"""Who the help is for: the need that brings the most useful services."""

from __future__ import annotations

import re

from bot.core.signpost import DANGER_NEEDS, Need
from bot.core.understand.danger import SAFE_NOW
from bot.core.understand.phrases import FRIEND_WHO, LANGUAGES, PARTNER
from bot.core.understand.rules import Rule, rx

SELF_VICTIM = rx(r"(hits|hit|beats|beat|abuses|abused|hurts|hurt|threatens|raped|slaps) me")
# What someone else says the writer is ("he says I'm controlling"): a common abuser's line,
# so it never makes the writer the one who needs to change.
CLAIMED = re.compile(
    r"\b(says|said|tells me|told me|keeps (saying|telling me)|thinks|claims|accuses me of"
    r"|accused me of|calls me|called me|blames me for|makes out)( that)?( i am| i was"
    r"| i have been| being)?\b"
)
# The writer is the one being hurt: never sent to a service for people who abuse.
ABUSED_ME = rx(
    r"(hits|hit|beats|beat|abuses|abused|hurts|hurt|threatens|threatened|raped|slaps|slapped"
    r"|kicks|kicked|punches|punched|pushes|strangled|chokes|choked|controls|scares|bullies"
    r"|hitting|hurting|beating|abusing|kicking|punching|slapping|strangling|choking"
    r"|threatening|scaring|bullying) me"
    r"|(abusive|violent|controlling|aggressive|cruel|nasty) (to|towards|with) me"
    r"|(he|she|they) (is|are|was|were|has been|have been|keeps|keep) (being )?(so |really "
    r"|very )?(abusive|violent|controlling|aggressive)"
)
_RULES = {
    Need.SUICIDE: rx(
        r"suicid\w*|kill myself|end (my|it) (life|all)|take my (own )?life|want to die|wanna die"
        r"|(do not|not) want to (live|be alive|be here|wake up|exist)(?! (with|in|at|here|there"
        r"|near|together|on))|better off dead"
        r"|(wish|want) i (was|were) (dead|not here|never born)"
        r"|(can not|cannot) (cope|go on|carry on|keep going|take (it|this) any ?more"
        r"|do (it|this) any ?more)"
        r"|no point (in )?(going on|living|carrying on|any ?more)|(do not|not) see the point"
        r"|(think|thinking|thought|thoughts) (about|of) (ending it|ending my|suicide|killing myself"
        r"|dying)|end it all|self harm\w*|hurting myself|want it all to (stop|end)"
        r"|everything is too much|in my hand|rope|noose|(feel|feeling) like giving up"
        r"|better (off )?without me"
        r"|want to give up|(think|thinking|thought|thoughts) (about|of) not (being here|being alive"
        r"|waking up|existing|living)|not (be|being) here any ?more"
        r"|(i|i am) (want|going|wanna|gonna) (to )?end it (tonight|today|now|before)(?! with)"
        r"|(?<=^ )(going to|gonna) end it(?! with)|(feeling|feel|felt) like ending it"
        r"|overdos\w*|(?<!made me )(?<!forced me to )(?<!making me )swallow\w* (loads|lots|all"
        r"|a load|too many|a bottle|a packet|everything)|(?<!made me )(?<!forced me to )(taken"
        r"|took|take) (loads|lots|all|a load|too many|a bottle|a packet)( of)?( my| the)? (pills"
        r"|tablets|paracetamol|meds|medication|painkillers|sleeping)|(tablets|pills) (lined up"
        r"|all out|out on)|jump (off|in front)"
        r"|cut (myself|my wrists?|my arms?)|i am ending it(?! with)|(no|a) way out"
        r"|(stood|standing|sitting) on the (bridge|ledge|edge|roof)|(rather|sooner) be dead"
    ),
    Need.DEAF: rx(
        r"deaf|hard of hearing|bsl|sign language|speech impair\w*|hearing impair\w*"
        r"|text only|textphone|relay uk|cannot hear|without (speaking|talking)"
    ),
    Need.NO_CALL: rx(
        r"(can not|cannot) risk (a |the )?(call|calling|phoning|ringing|phone call)"
        r"|(can not|cannot|not able to|unable to) (phone|call|ring|talk on the phone|speak on the"
        r" phone|make (a )?(phone )?call)|instead of (calling|phoning|ringing|a (phone )?call"
        r"|talking)|(text|chat|email|message) (instead|rather)|online chat|live chat|chat online"
        r"|web chat|webchat|by text|by email|(he|she|they) would hear"
        r"|someone to (text|message|email|chat)|(can not|cannot) (talk|speak) (out loud|aloud)"
        r"|(can i|could i|is there) (\w+ ){0,4}(text|email|chat|message)"
    ),
    Need.HONOUR: rx(
        r"honou?r\w*|izzat|dishonou?r\w*|forced (to )?marr\w*|forced marriage|(make|force) me marry"
        r"|shame on (the|my|our) family|brought shame|disown\w*"
        r"|(planning|arranging|arranged|organising) my (wedding|marriage)"
        r"|(found|find|finding|chose|chosen|choosing|picked) (me )?a (husband|wife)"
    ),
    # A child or young person writing.
    Need.CHILD: rx(
        r"(i am|am|aged|age) (1[0-7]|[5-9])( years old| yrs old| yrs| yo| year old)?"
        r"(?! (weeks|months|days|minutes|mins|hours|miles|years|yrs))"
        r"|(i am|am|aged|age) (five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
        r"|fifteen|sixteen|seventeen)( years old| year old)?"
        r"(?! (weeks|months|days|minutes|mins|hours|miles|years|yrs|times|of))"
        r"|i am (a |only )?(1[0-7]|[5-9]) (year|yr) old|i am only (1[0-7]|[5-9])\b"
        r"|outside school|(step ?dad|stepfather|mum boyfriend"
        r"|mums boyfriend) (is )?(\w+ )?(punch\w*|hitting|battering|beating|kicking"
        r"|strangling|choking|hurting|screaming at|shouting at|batter\w*|beat\w*|kick\w*|strangl\w*"
        r"|chok\w*|hurt\w*) (my )?(mum|mom|mother)"
        r"|i am in year (7|8|9|10|11|12|13)|in year (7|8|9|10|11)"
        r"|(?<=^ )year (7|8|9|10|11)\b(?! (ago|olds?))"
        r"|i am (a |only a |just a )?(teenager|teen|kid|child|minor|young person|schoolgirl"
        r"|schoolboy)|too young to"
        r"|(step ?dad|stepfather|step ?mum|stepmother|mum boyfriend|mums boyfriend|dad girlfriend)"
        r" (hits|hurts|beats|slaps|kicks|punches|abuses|scares|threatens) me"
        r"|my parents (fight|argue|hit|shout|scream)"
    ),
    # An adult worried about a child.
    Need.CHILD_WORRY: rx(
        r"(worried|concerned|worry|scared|afraid) (about|for) (a |the |my |our |some |these"
        r" |this )?(\w+ )?(child|children|kids|kid|baby|toddler|grandchild\w*|grandkids|niece"
        r"|nephew|grandson|granddaughter|grandsons?"
        r"|little (boy|girl))|kids next door|neighbours? (little )?(kids?|girl|boy|child|baby)"
        r"|(son|daughter|grandson|granddaughter)"
        r" (seems|is|gets|looks) (scared|frightened|afraid|terrified) of|childminder"
        r"|worried (that )?my (son|daughter|grandson|granddaughter|nephew|niece)s?|a child (i"
        r"|we) (look after|care for|teach|mind)"
        r"|(my|our) (son|daughter|child|kid|little one|nephew|niece|grandson|granddaughter) is"
        r" ([1-9]|1[0-7])( years old)?|shakes (him|her|the baby)"
        r"|(nephew|niece|grandson|granddaughter|grandchild) (is being|being|gets|is getting"
        r"|getting) (hurt|hit|beaten|abused) at home"
        r"|(grandson|granddaughter|nephew|niece|grandchild) (says|said|told me) (his|her|their)"
        r" (step ?dad|step ?mum|dad|mum|father|mother|stepfather|(mum|mom|mother|dad|father)"
        r" (boyfriend|girlfriend|partner)) (hurts|hits|beats|abuses)"
    ),
    Need.SEXUAL: rx(
        r"rape\w*|raped|(?<!non )sexual\w*|sexually|have sex|forced (himself|herself) on me"
        r"|intimate (pictures|images|photos|videos)|nudes|revenge porn|(?<!non )molest\w*"
        r"|touch(ed|es|ing) me"
    ),
    Need.LGBT: rx(
        r"lgbt\w*|gay\w*|lesbians?|bi|bisexual|trans|transgender|queer|non binary|nonbinary|enby"
        r"|same sex|both (women|men|girls|guys)|out me|outing me"
    ),
    Need.OLDER: rx(
        r"older|elderly|old age|pensioners?|pension|oap|grand(mother|father|ma|pa|parents?)"
        r"|grandad|granddad|grandmum|nan|nana|nanna|gran|granny|(i am|aged) [6-9]\d"
        r"|[6-9]\d (years|year|yrs) old"
        r"|in (my|his|her) (sixties|seventies|eighties|nineties)|care home"
    ),
    Need.MINORITISED: rx(
        r"migrant|immigration|immigrant|visa|deport\w*|no recourse|nrpf|public funds|asylum"
        r"|refugee|settled status|home office|black wom[ae]n|asian wom[ae]n|south asian"
        r"|minoritised|minoritized|bme|bame|ethnic minority|interpreter|translator"
        rf"|english is not|my english|{LANGUAGES}|little english"
        r"|(do not|cannot|can not) speak (much |good |any |very good |very much )?english"
    ),
    # The writer is the one behaving badly: "I" does it. "He is being abusive" is not this.
    Need.PERPETRATOR: rx(
        r"my own behaviou?r|i (get|got|am|am getting) (too|so|really) angry|i want to change"
        r"|i (hit|hurt|pushed|push|slapped|slap|punched|shoved|grabbed|kicked"
        r"|scare|frighten|abuse|control|threaten|threatened) (her|him|them|my (partner|wife"
        r"|husband|girlfriend|boyfriend|ex|fiance\w*|kids|children|son|daughter|family|mum|dad))"
        r"|(i am|i have been|i was|i keep|i can be|i might be|i could be) (being )?(so |really "
        r"|very |too |quite )?(the )?(abusive|abuser|an abuser|controlling|violent|aggressive"
        r"|problem|perpetrator)"
        r"|(how (do|can|should) i|i (want|need|have|am trying|try|must|would like) to|help me"
        r"|i (need|want) help to|learn to|i (cannot|can not|could not)) stop (being )?"
        r"(so |really )?(abusive|violent|controlling|hitting|hurting|abusing|scaring|shouting"
        r"|yelling|screaming)(?! me\b)"
        r"|help to stop(?! (him|her|them|he|she|they|my|the|this|it)\b)"
        r"|anger management|my (anger|temper)"
        r"|lose my temper|i get (so |really )?(angry|violent)"
        r"|help me (to )?change(?! (my|the|our) (locks?|numbers?|phone|name|address|sim|email"
        r"|passwords?|bank))"
        r"|i will do it again|perpetrator|angry i get"
        r"|i (keep |kept )?(shouting|shout|yelling|yell|screaming|scream) at (my|her|him)"
    ),
    Need.MEN: rx(
        r"i am (a |\d+ )?(man|guy|bloke|male|dad|father)|male|men|husband here"
        r"|i am (her|his|the) husband"
        r"|(for|can) (a )?(man|men|guy|guys|bloke|blokes)"
        r"|my (wife|girlfriend) (hits|abuses|beats|slaps|hurts|controls|threatens|is abusive"
        r"|is violent|is controlling)|(wife|girlfriend) is (abusive|violent|controlling)"
        r"|(hits|beats|abuses|controlling|controls|hurts) him"
    ),
    Need.STALKING: rx(
        r"stalk\w*|harass\w*|keeps (turning|showing) up|(turning|turns|turned|showing|shows) up at"
        r" my (work|house|flat|home|school|job|gym)|new numbers|(different|unknown|withheld"
        r"|private) numbers|leaving (notes|things|flowers|gifts|messages|letters)|(will not"
        r"|would not) leave me alone|drives past|driving past|keeps (following|watching) me"
        r"|following me (online|everywhere|around)|watching my (house|flat|home)|tracker on my"
        r"|(new|fake|different) accounts?|creating (new )?accounts"
        r"|(messaging|contacting|calling|texting) my (friends|family|work|boss|colleagues)"
        r"|keeps (liking|commenting on|viewing)"
        r"|keeps? (sending|leaving|posting) (me )?(flowers|gifts|presents|letters|notes|things)"
    ),
    # Legal protection: protection orders and injunctions, asked any way.
    Need.LEGAL: rx(
        r"injunctions?|non molestation|nonmolestation|molestation order|occupation order"
        r"|protection order|protective order|restraining order|court order|legally"
        r"|legal (action|protection|help|advice|aid|options|route|way)|something legal|solicitor"
        r"|lawyer|can the court|too late to report|can the police still|still do anything"
        r"|(can|could) i (still )?report (it|him|her|them|what happened)"
        r"|count as a crime"
        r"|in custody|(been|was|got|is) arrested|(court|judge) (can )?(make|order|stop)|take (him"
        r"|her|them) to court"
        r"|dvpo|dvpn|(can|how do|how can) i stop (him|her|them) (from )?(coming|contacting"
        r"|seeing|turning up)|can i stop (him|her|them)$"
    ),
    Need.LEAVING: rx(
        r"(i|we|i am|i have|we are) (really )?(need|want|have|going|planning|plan|ready|trying"
        r"|try|thinking (about|of)|about) (to )?(leave|leaving|get out|escape)\b(?! (this|the"
        r"|you) (chat|bot|conversation|app))|how (do|can|should|could) (i|we) (leave|get out"
        r"|escape)|help me (to )?(leave|get out|escape)|planning to go|what (should|do) i take"
        r"|get my (stuff|things|belongings) (back|out)|leave safely|leaving safely|planning to"
        r" leave|plan to leave|get out without|without (him|her|them) (knowing|finding out"
        r"|noticing)"
    ),
    # "Is this abuse?": a plain answer from the law, never an opinion on their case.
    Need.IS_ABUSE: rx(
        r"is (this|it|that) (abuse|abusive|domestic abuse|domestic violence|normal|ok|okay"
        r"|controlling|coercive)|(does|do|would) (this|that|it) count|counts? as (abuse|domestic)"
        r"|(what|which) (is|counts as) (domestic )?(abuse|violence|coercive control)"
        r"|coercive control\b.{0,40}\b(what is it|what does it mean|sounds like|mean)"
        r"|is it (still )?(domestic )?(abuse|violence)|not abuse"
        r"|am i (being )?(abused|overreacting)|i am overreacting"
        r"|(he|she|they) (does not|never|do not|did not) hit me|decides who i (can )?see"
        r"|takes my (wages|money|salary|pay|benefits|card|bank card)|(gives|give) me an allowance"
        r"|checks my (bank|spending|receipts)|tracks my (location|phone)"
        r"|(keeps|has|took|takes|taken) my (bank card|card|cards|wages|benefits|passport|money)"
        r"|gives me (\d+|an allowance|pocket money)|check (what|how much) i spend"
        r"|(checks|checking|goes through) my (bins|receipts|spending|bank)"
        r"|(controls|control|controlling) (all )?(the|my|our) (money|finances|bank|spending)"
    ),
    Need.FRIEND: rx(
        r"worried about (my|a|someone|somebody|her|him|them)|concerned about (my|a|someone)"
        r"|how (can|do|should) i help (my|a|her|him|them)|help (my|a) "
        + FRIEND_WHO
        + r"|(say|do) to a friend|someone i know|somebody i know"
        r"|(my|our|a) (neighbour|neighbor|colleague|student|pupil|client|patient)s?"
        r"|(colleague|coworker|student|pupil|client)s?"
    ),
}
# Someone who says they are an adult is not sent to Childline.
ADULT = rx(r"(i am|am|aged|age) (1[89]|[2-9]\d)(?! (weeks|months|days|minutes|mins|hours|miles))")
# The order needs are read in: the need that brings the most useful services first, a
# friend's only when no other (need_of).
NEED_ORDER = (
    Need.SUICIDE, Need.DEAF, Need.NO_CALL, Need.HONOUR, Need.CHILD, Need.CHILD_WORRY,
    Need.SEXUAL, Need.LGBT, Need.OLDER, Need.MINORITISED, Need.PERPETRATOR, Need.MEN,
    Need.LEGAL, Need.STALKING, Need.LEAVING, Need.IS_ABUSE, Need.FRIEND,
)  # fmt: skip
NEED_RULES: dict[Need, Rule] = {need: _RULES[need] for need in NEED_ORDER}
# Any need at all: one pass that lets most messages skip the need-by-need reading.
ANY_NEED = Rule(tuple(a for rule in NEED_RULES.values() for a in rule.alternatives))
# In danger, the lines the reply carries besides 999 (bot/core/signpost.py DANGER_NEEDS).
DANGER_NEED_WORDS: dict[Need, Rule] = {
    Need.CHILD: NEED_RULES[Need.CHILD],
    Need.SUICIDE: NEED_RULES[Need.SUICIDE],
    Need.MEN: rx(
        r"i am (a |\d+ )?(man|guy|bloke|male|dad|father|fella|lad)|(husband|fella|bloke|guy|man)"
        r" here|(we are|we) both (men|guys|blokes|lads)|i am (her|his|the) husband|(my "
        r"|(?<=^ ))(ex )?(wife|girlfriend|missus)(s"
        r"| s)? (brother"
        r"|brothers|dad|father|family|mates|lover|boyfriend|fella|(new )?(boyfriend|partner))"
        r"|(my |(?<=^ ))ex wife (is|has"
        r"|just)"
        r"|(?<=^ )(wife|missus)( s| has| is)? (just|keeps|has|is|locked|hit|took|threw|stabbed"
        r"|attacked|pushed|kicked|punched|slapped|burned|burnt|poured|bit|scratched)"
        r"|my (wife|girlfriend|missus) (is|has|keeps|just|will|says|said|locked|took|threw|hit"
        r"|stabbed|attacked|pushed|kicked|punched|slapped|burned|burnt|poured|bit|scratched)"
    ),
    Need.STALKING: rx(
        r"stalk\w*|harass\w*|follows me (everywhere|around|all the time)|keeps following me"
        r"|(been|is always|keeps) following me (for (weeks|months|years)|everywhere)"
        r"|(knows|watching) my every move|(new|fake) accounts?"
        r"|moved (\d+|two|three|four|twice)( times)?|\d+ (messages|calls|texts)|silent calls"
        r"|different numbers|withheld numbers?|\d+ times a day|(messages|calls|texts) a day"
        r"|leaving (flowers|notes|gifts|things|presents)|tracker on (my|the)|put a tracker"
    ),
}
# Followed, watched or turned up on over weeks or every day, not once: stalking, in danger too
# ("he's been following me for weeks and he's outside now"). Followed home once is not.
FOLLOWING = rx(
    r"follow\w*|watch\w*|turn\w* up|show\w* up|waiting (outside|for me)|hanging (around|about)"
    r"|(at|outside) my (work|house|flat|home|window|door|school|job)"
    r"|(keep|keeps) seeing (him|her|them)|(gone|drove|driven|walked|walks|drives) past"
    r"|track\w*|(photo|photos|pic|pics|picture|pictures) of me"
)
OVER_TIME = rx(
    r"for (weeks|months|years|a month|a year|ages"
    r"|(a few|two|three|\d+|several) (weeks|months|years))"
    r"|for the (last|past) (few )?(weeks|months|years)|every (day|night|morning|evening|week)"
    r"|everywhere|wherever (i|we) go|since (january|february|march|april|may|june|july|august"
    r"|september|october"
    r"|november|december|christmas|easter|the summer|we (split|broke up)|i left)"
)
# A parent hurt or hurting at home while the writer hides in their room or with a brother or
# sister: most likely a child writing ("dad's hitting mum, I'm in my room"): Childline.
A_PARENT = rx(
    r"(my )?(mum|mom|mother|mummy|dad|father|daddy|stepdad|step dad|stepmum)"
    r"|(mum|mom|mums|moms) (boyfriend|partner)"
)
IN_MY_ROOM = rx(
    r"(i am|im|hiding|hide|stay|staying|stuck|locked) (in|under) (my |the )?(room|bedroom|bed"
    r"|wardrobe)"
    r"|me and my (little |baby |big )?(brother|sister|brothers|sisters)|told me to hide"
    r"|my (little |baby |big )?(brother|sister) and (me|i)"
)
# The writer is a woman with a female partner: the men's line is not for her.
WOMEN_TOGETHER = rx(
    r"(we are|we) both (women|girls|ladies|female)|i am (a )?(woman|girl|lady|female|lesbian)"
    r"|lesbian"
)
# A marriage the family is arranging or pressing ("they're taking me to Pakistan to get married").
MARRIAGE = rx(r"marr\w*|wedding|engaged|rishta|nikah")
FAMILY_PRESSURE = rx(
    r"family|parents|dad|father|mum|mother|brothers?|uncles?|cousin|relatives|in laws|abroad"
    r"|back home|pakistan|india|bangladesh|somalia|nigeria|afghanistan|chose|choose|without asking"
    r"|taking me|sending me|forc\w*|(do|does) not want"
)
# A friend or relative who is the one being hurt ("my sister, her husband ...").
FRIEND_VICTIM = re.compile(
    rf"\b{FRIEND_WHO} (is being|is getting|being|is in|has been|keeps getting|gets|was)"
    r" (abused|hit|beaten|controlled|hurt|raped|forced|an abusive|in an abusive)\b"
    rf"|\b{FRIEND_WHO} is in (a|an) (bad|abusive|violent|toxic|controlling) relationship\b"
    rf"|\b{FRIEND_WHO} {PARTNER}\b"
    rf"|\b(her|his|their) {PARTNER}\b"
    rf"|\b(hits|beats|abuses|hurts|controls|is abusive to|is violent to) my {FRIEND_WHO}\b"
)
FRIEND_WORRY = rx(
    r"worried|concerned|(will not|does not want to|refuses to) leave (him|her|them)"
    r"|support (her|him|them)|help (her|him|them)|(she|he) (is|has) left (him|her)"
)
FRIEND_MENTION = re.compile(rf"\b(my|a|our) {FRIEND_WHO}\b|\bbest friend\b")
LGBT_PAIRS = re.compile(
    r"\bi am (a )?(man|guy|male|bloke)\b.*\b(boyfriend|husband)\b"
    r"|\b(boyfriend|husband)\b.*\bi am (a )?(man|guy|male|bloke)\b"
    r"|\bi am (a )?(woman|girl|female)\b.*\b(girlfriend|wife)\b"
    r"|\b(girlfriend|wife)\b.*\bi am (a )?(woman|girl|female)\b"
)


def need_of(said: str) -> Need | None:
    """The need that brings the most useful services; a friend's only when no other."""
    any_need = ANY_NEED.search(said)  # else only the checks below the need's own words
    for need, pattern in NEED_RULES.items():
        if not any_need:
            pass
        elif need == Need.SUICIDE:
            if pattern.search(SAFE_NOW.sub(" ", said)):
                return need
        elif need == Need.CHILD:
            if pattern.search(said) and not ADULT.search(said):
                return need
        elif need == Need.PERPETRATOR:
            unclaimed = CLAIMED.sub(" claims ", said)
            if pattern.search(unclaimed) and not ABUSED_ME.search(unclaimed):
                return need
        elif need != Need.FRIEND and pattern.search(said):
            return need
        if need == Need.LGBT and LGBT_PAIRS.search(said):
            return need
        if need == Need.HONOUR and MARRIAGE.search(said) and FAMILY_PRESSURE.search(said):
            return need
    if any_need and NEED_RULES[Need.FRIEND].search(said):
        return Need.FRIEND
    about_them = FRIEND_VICTIM.search(said) or FRIEND_WORRY.search(said)
    if FRIEND_MENTION.search(said) and about_them and not SELF_VICTIM.search(said):
        return Need.FRIEND
    return None


def danger_need(said: str) -> Need | None:
    """The specialist line a danger reply carries: a child, suicide, a man, stalking; never
    the men's line for a woman ("my girlfriend ... we're both girls")."""
    calm = SAFE_NOW.sub(" ", said)
    for need in DANGER_NEEDS:
        if DANGER_NEED_WORDS[need].search(calm):
            if need == Need.MEN and WOMEN_TOGETHER.search(calm):
                continue
            return need
        if need == Need.STALKING and FOLLOWING.search(calm) and OVER_TIME.search(calm):
            return need
        if need == Need.CHILD and A_PARENT.search(calm) and IN_MY_ROOM.search(calm):
            return need
    return None
