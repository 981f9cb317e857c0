"""What they ask about: figures, help, a service, a chart, a ranking, the bot itself."""

from __future__ import annotations

import re

from bot.core.understand.phrases import PARTNER
from bot.core.understand.rules import rx, word_set

SERVICE_ASK = rx(
    r"number|numbers|phone|call|ring|contact|website|site|email|hours|open|opening|text"
    r"|what is|who are|who is|tell me about|details|how do i contact"
)
NAME_ONLY = word_set("the a an please thanks hi hello")
# "is 101 ok", "can i use 101": a number asked about on its own is a question about the service.
NUMBER_ASK = word_set("is it ok okay can could i should we use good idea alright fine right for")
MENU = re.compile(
    r"^(show |the |open )?(menu|main menu|options|commands|start over|back"
    r"|what can (you|this bot|the bot|it) do|what do you do|what are my options here"
    r"|what can i ask( you)?|what (do|should) i ask( you)?|how does (this|this bot|it) work"
    r"|what (is|are) (this|you) for)( please| thanks)?$"
)
# Erase this chat now: the Telegram front erases it, the core says how (/exit).
LEAVE = rx(
    r"(delete|erase|clear|wipe) (this|it|everything|all of this|all this)"
    r"|(delete|erase|clear|wipe|hide|remove) (the|my|our|all|all the|all my|all our|these|your"
    r"|this) (chats?|conversations?|messages?|history|texts?)"
    r"|(delete|erase|clear|wipe) (chats?|conversations?|messages?|history)"
    r"|(delete|erase|wipe|remove) what i (wrote|said|typed|sent)|quick exit|exit (the )?(chat|bot)"
    r"|leave (this|the) (chat|conversation|bot)"
)
# Made to delete messages is control being described, not a request to erase this chat.
MADE_TO_DELETE_WORDS = (
    r"(made|makes|make|making|forced|forces|force|forcing|told|tells|wants|wanted) (me|us)"
    r" (to )?(delete|erase|clear|wipe|hide|remove)"
)
MADE_TO_DELETE = rx(MADE_TO_DELETE_WORDS)
LEAVE_ONLY = re.compile(
    r"^(please )?(delete|erase|clear|wipe|hide|exit|leave|quit|close|shut|get me out)"
    r"( it| this| now| please| quick| quickly| everything| down)*$"
    r"|^(i )?(need|have|got) to go( now| quick| quickly| sorry| bye| please)*$"
)
# Asking how to hide the chat, not to delete it: the privacy answer says how, and what hiding
# can't do ("how do I delete this chat" is still answered by deleting it).
HOW_TO_HIDE = re.compile(r"^how (do|can|could|would|should) i hide\b")
# Who they are talking to: a person, the police, a bot?
WHO_AM_I = rx(
    r"(am i|are we|is this|will i be) (talking|speaking|chatting|texting|messaging) (to|with)"
    r" (a |an |the )?(bot|robot|chatbot|human|real|person|computer|machine|ai|someone real|police)"
    r"|who am i (talking|speaking|chatting|texting|messaging) (to|with)"
    r"|are you (a |an |the )?(real|human|bot|robot|chatbot|person|computer|machine|ai|police"
    r"|police officer|volunteer|counsell?or|operator)"
    r"|is this (a |an |the )?(bot|robot|chatbot|real person|human|person|police|automated|ai"
    r"|computer|machine)"
)
WHO_AM_I_ONLY = re.compile(r"^(who|what) (is|are) (this|you)( please| exactly)?$")
PRIVACY = rx(
    r"privacy|private|anonymous|confidential|(who|anyone|someone) can see"
    r"|(can|could) (he|she|they|anyone|someone|people|my \w+) (see|read|find|know|tell)"
    r"|will (he|she|they|my \w+) (know|see|find out)|(do|does|will) (you|it|this \w+|the bot)"
    r" (store|keep|save|record|log|track)|(stored|kept|saved|recorded|logged) (anywhere|somewhere)"
    r"|safe to use"
    r"|show (up )?on my (phone|bill)|phone bill|leave no trace|trace"
    r"|(show|appear) (up )?(in|on) my (history|phone|notifications|screen)|in my history"
    r"|(will|does|would|could|can) (telegram|the app|this app) (tell|show|notify|let)"
)
ABOUT = rx(
    r"where (do|does|are|is|did) .*(from|come)|where (did|do) you get|how did you get"
    r"|about the data|how old (is|are) (this|the|these|that|your|it)\b|what year|which year"
    r"|up to date|out of date|who (made|built|runs|wrote)|reliable|accurate"
    r"|sources?(?! of (my|his|her|our|their|income|money|stress|strength|support|comfort|fear))"
    r"|what does (recorded|reported|offences?|the (data|figure|number|rate)|rate)\b.* mean"
    r"|are (these|they|the figures) (police|official|real)|about (this|the) bot|what is this bot"
    r"|(is|are) (this|it|that|these|they) the (latest|newest|most recent)|how (recent|current)"
)
# Abuse told, or help asked for: this comes before questions about the bot or its data
# ("he controls my only source of income", "is it private if i call the helpline").
DISCLOSED = rx(
    r"abus\w*|controls?|controlling|coercive|gaslight\w*|violent|violence|threaten\w*|stalk\w*"
    r"|harass\w*|rape\w*|bruises?|scared|afraid|frightened|(hits?|hurts?|beats?|hitting"
    r"|hurting|beating) me|will not let me|(takes?|took|taken|stole|steals|keeps|kept|has)"
    r" (away )?(all )?(of )?(my|our)"
    r"|helpline|refuges?|shelters?|support|advice|get help|services?|counsell?ing|idva"
    r"|injunction|non molestation|outreach"
)
OUTSIDE_SAID = rx(
    r"outside (of )?london|not in london|(do not|not) live in london|rest of (the uk|england)"
)
SUB_REGION = re.compile(r"(?<!north )(?<!south )\b(west|east|north|south|central) london\b")
HIGHEST = rx(r"highest|most|worst|top|biggest|largest|more")
LOWEST = rx(r"lowest|least|fewest|safest|best|smallest|less")
RANKING = rx(
    r"rank\w*|all (the )?boroughs|every borough|each borough|by borough|list|league|table"
    r"|which (borough|area|part)|where in london"
)
RANKING_CHART = rx(
    r"rank\w*|all (the )?boroughs|every borough|other boroughs|compared?|league|table"
)
ARREST_RATE = re.compile(r"\b(arrest|charge|conviction|prosecution)s? rates?\b")
AREAS = rx(r"boroughs?|areas?|london|parts? of london|councils?")
ARRESTS = rx(r"arrest\w*|charged?|charges|prosecut\w*|convict\w*|outcomes?|solved|sanction\w*")
RATE = rx(
    r"per (1000|1 000|thousand|person|people|head|capita|resident|residents|population|100k)"
    r"|rate|rates|population|proportion\w*|relative to"
)
COMPARE = rx(r"compar\w*|vs|versus|v|against|difference|than|or|with|both")
TREND = rx(
    r"trend|trends|going (up|down)|gone (up|down)|rising|falling|increas\w*|decreas\w*"
    r"|over time|over the years|year on year|getting (worse|better)|up or down"
)
CHART = rx(r"chart|graph|plot|picture|diagram|visuali[sz]\w*|infographic")
MONTHLY = rx(r"month by month|monthly|each month|every month|per month|by month")
INNER_OUTER = re.compile(r"\b(inner|outer) london\b")
# A year named ("croydon in 2008", "the 2008 figures"): the core finds the period it falls in.
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# A financial year, as written after words_of: "2022-23" and "2022/23" are "2022 23".
FINANCIAL_YEAR = re.compile(r"\b(?:fy)?(20\d\d) (?:(\d\d)|20(\d\d))\b")
FIGURES = rx(
    r"figures?|stats?|statistics|statistic|numbers|how many|offences?|offenses?|crimes|cases"
    r"|data|rate|rates|recorded|incidents?|arrests?|per (1000|person|head|capita|resident)"
    r"|how (bad|common|safe|prevalent|high|low)|common|prevalence|levels?|ranking|research\w*"
    r"|journalist|reporter|article|briefing|dissertation"
)
HELP = rx(
    r"help|helping|support|advice|advise|refuges?|shelters?|talk|speak|someone|anyone|services?"
    r"|helpline|counsell?ing|injunction|non molestation|leave (him|her|them)|escape|stay"
    r"|options|what (can|do|should) i do|who (can|do|should) i (call|talk|speak|contact)"
    r"|where (can|do) i (go|get|find)|abuse\w*|abusive|controlling|coercive|gaslight\w*"
    r"|scared|afraid|frightened|worried|hits? me|shout\w*|screams?|calls? me|victims?|survivors?"
    r"|(checks|checking|goes through|tracks) my|will not let me|takes? my|took my"
    r"|keeps (messaging|calling|texting|turning up|following)|stalk\w*|harass\w*|bruises?"
    r"|report (him|her|them|my)|worthless|believe me|signpost|nowhere to go|relationship"
    r"|violent|threaten\w*|pushed me|slaps? me|beats? me|smashed|local|leave me alone"
    r"|team|idva|marac|outreach|non emergency|not an emergency|(what|which) (number|line)"
    r" (do|should|can) i (call|ring|phone|use)"
    r"|left (him|her|them)|hitting|hit me|beating|beaten|battered|punch\w*|kick\w*"
    r"|(took|takes|take|taking|stole|steals) (all )?(of )?(my|our)|(keeps|kept|has) my"
    r"|(want|wants|need|needs|going|trying|try|plan|planning|ready|able|how) (do i |can i |to )?"
    r"(to )?leave(?! (this|the) (chat|conversation|bot))"
    rf"|{MADE_TO_DELETE_WORDS}"
)
# The last word before "not understood": a message about a partner or about feeling trapped.
ABOUT_THEM = rx(
    rf"he|she|him|my {PARTNER}|ex partner|who (else )?to (tell|turn to|talk to)"
    r"|(do not|dont) know what to do|going crazy|feel (trapped|alone|scared|unsafe|worthless)"
    r"|i need to talk|tell someone|what (is|counts as) (domestic )?(abuse|violence)"
    r"|(feel|am|m) (not )?safe|scared|afraid|frightened|terrified|trapped"
    r"|is (this|it|that) abuse|used to (hit|lock|beat|hurt|shout|scream|threaten|kick)"
    r"|as a (kid|child)|when i was (\d+|little|a kid|a child|young)|growing up"
    r"|(hit|hits|beat|beats|hurt|hurts) my (mum|mom|mother|dad|father)"
)
# Someone may read this chat on the phone: the privacy answer, before anything else
# ("could my husband find this chat?", "he reads my telegram when i'm asleep").
PHONE_CHECKED = rx(
    r"(find|see|read|know about|found|saw|sees|reads|check|checks) (this|these|the|our|my)"
    r" (chat|chats|conversation|telegram)|(reads|read|reading|checks|checking|looks at|goes"
    r" through|go through|went through) my (phone|telegram|messages)\b.{0,15}\b(at night"
    r"|every night|when i am asleep|while i (sleep|am asleep)|when i sleep|in the night)"
    r"|my telegram"
    r"|telegram (on|logged in)|logged in on (his|her|their|a|another)|lock screen"
    r"|(notifications?|previews?|messages) (show|pop|appear)|pop up on"
    r"|(if|when|once) i (delete|clear|erase|wipe)"
    r"|(can|could|will|would) (he|she|they|my \w+) (still )?(see|read|find) (my|these|this|the"
    r"|our) (messages|chat|chats|texts|conversation)"
)
LIVE_HERE = re.compile(r"^(hi |hello |hiya )?(i|we) (live|am|stay|work) (in|near|at|around)\b")
HELLO = (
    r"(hi|hello|hey|hiya|heya|helo|hallo|good (morning|afternoon|evening)|morning|evening|yo"
    r"|sup|alright|howdy|greetings|start)"
)
GREETING = re.compile(
    rf"^{HELLO}( {HELLO})*( (there|bot|again|you|all))?"
    r"( (is )?(anyone|anybody|someone) there| are you there| you there)?$"
)
THANKS = rx(r"thanks?|thank you|thankyou|cheers|ta|appreciate \w+|grateful|that helps|helpful")
NEUTRAL = re.compile(r"\bdomestic (abuse|violence)\b")
