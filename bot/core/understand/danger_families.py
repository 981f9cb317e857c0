"""The cue families danger_cues.py reads a message for: short lists of plain words, each a
feature of the cue model (someone, near, now, harm, medicine, trapped, fear, silence,
children taken, a finality, a plea; and what says it is not danger now)."""

from __future__ import annotations

from bot.core.understand.rules import Rule


def _family(*parts: str) -> Rule:
    """Whole words, as every rule is read (rules.py)."""
    return Rule(("".join(parts),))


_PEOPLE = (
    r"husband|wife|partner|boyfriend|girlfriend|ex|dad|father|step ?dad|stepfather|son|brother"
    r"|uncle|cousin|fiance\w*|brother in law|mum boyfriend|mums boyfriend|mother boyfriend"
    r"|dad girlfriend|flatmate|housemate|landlord|neighbour|family|in laws|sister boyfriend"
    r"|sister husband|friend boyfriend|other half|carer|care worker"
)
FAMILIES: dict[str, Rule] = {
    # someone who could do harm
    "actor": _family(
        rf"he|she|they|him|his|them|(my|her|his|our|the) ({_PEOPLE})|ex|someone|somebody|dads"
        r"|mums boyfriend|husbands|boyfriends"
        r"|(a|the|this|that) (man|guy|bloke|woman|stranger|stalker)|stalker|his (mates|friends"
        r"|brothers?|family)"
        r"|(a|the|same|that|his|her|their) (car|van|motorbike)|(car|van)( \w+)? (outside|parked"
        r"|again|behind me|across|opposite)"
    ),
    # near, coming, following, or knowing where
    "near": _family(
        r"here|outside|downstairs|upstairs|next door|next room|other room|in the (house|flat"
        r"|hall|hallway|kitchen|lounge|living room|garden|room|bedroom|street|road|car|van"
        r"|lobby|stairwell|corridor)|at the (door|window|gate|end|bottom|top)|door|doors|window"
        r"|windows|gate|behind me|beside me|next to me|near|nearby|close|across|opposite"
        r"|parked|pulled (up|in|into)|on (his|her|their|the) way|coming|heading|walking|driving"
        r"|come (round|over|back)|(just )?(walked|come|came) in|(has|just) seen me"
        r"|(standing|stood|leaning) over me|behind (me|us)"
        r"|running"
        r"|climbing|following|followed|follows|tracked|tracking|tracker"
        r"|found (me(?! (a|an|some)\b)|out|where|my)"
        r"|knows where|where i (live|am|sleep|work|stay|go)|my (new )?address|turned up|showed up"
        r"|(waiting|watching|staring|looking) (for me|at me|at us|for us|in|through|up|outside"
        r"|by|at (the|my|our)|my|our|me|us)|lurking|pacing|circling|key|let (himself|herself) in"
        r"|got in|broke in|break in|same (bus|train|tube|street|road)|minutes away|mins away"
        r"|in the same|reception|car park|bus stop|stairs|path|drive|landing|porch|knocking"
        r"|banging|hammering|buzzing|ringing the (bell|doorbell|buzzer)|knows (which|where|what)"
        r"|hostel|refuge|safe house|location|street|round the corner|in the building|block"
        r"|over the (road|fence|wall)|letterbox|spare key|let in|come in|in my room|in bed"
        r"|on my (car|door|doorstep|step|windscreen)|gone past|drove past|driven past"
        r"|(\d+|four|three|five) times|(they|he|she) knows? (i am|where|which)"
        r"|(are|is|saw|seen|knows) my new \w+|stairwell|peephole|spyhole"
        r"|keys? in the (lock|door)|noises?|footsteps|my (road|street"
        r"|living room|bedroom|flat|house|block)|(now|and) (he|she|they) knows?|shelter"
        r"|(what|where) i am (wearing|doing|sitting)"
        r"|(?<!back )home"
        r"|get in|almost (home|here|back)|back (soon|any)|engine (running|on|idling|still running)"
        r"|same (one|car|van)|(out of|let out of|released from) (prison|jail)|released|let out"
    ),
    # now, tonight, soon, still
    "now": _family(
        r"now|right now|tonight|today|this (morning|evening|afternoon|weekend|week)|soon"
        r"|any (minute|second|moment)|just|currently|at the moment|as we speak|again|still"
        r"|by (the )?(morning|tonight|tomorrow|friday|saturday|sunday|monday|tuesday"
        r"|wednesday|thursday)|till|until|all (day|evening|night)|has just|have just"
        r"|last night|minutes|mins|hours|any time|already|tonight is|midnight"
        r"|(mins|minutes|seconds|an hour) ago"
        r"|when (he|she|they) (wakes"
        r"|gets (back|home|in|out)|comes (back|home|in|round))"
    ),
    # going on as we speak: "he is banging", "she has got", "they have locked"
    "doing": _family(
        rf"(he|she|they|ex|someone|somebody|{_PEOPLE}) (is|are) (\w+ )?\w+ing"
        rf"|(he|she|they|ex|someone|somebody|{_PEOPLE}) (has|have) (just )?(got|\w+ed|taken"
        r"|thrown|hidden|broken|stolen|driven|gone|put|set|left|cut|shut|told)|i am \w+ing"
        r"|keeps? \w+ing|(will not|would not) stop"
    ),
    # done as a habit or in general, not now: "he hits me", "she controls the money"
    "habit": _family(
        r"sometimes|every (time|night|day|week)|all the time|always|often|whenever|usually"
        r"|when (he|she|they) (is|are|gets|get|drinks|comes)|a lot|(he|she|they|husband|wife"
        r"|partner|boyfriend|girlfriend|ex|dad|mum) (hits|hurts|pushes|beats|kicks|slaps"
        r"|threatens|controls|shouts|calls|checks|reads|takes|makes|tells|says|decides"
        r"|uses|gets|goes|blames|puts|does not let|will not let)"
    ),
    # the writer is the one who does it, or wants help for themselves
    "writer": _family(
        r"i (hit|pushed|push|threw|throw|slapped|lose|lost|shout|shouted|grabbed|hurt|scare)"
        r"|my (temper|anger|behaviou?r)|to talk to|to speak to|someone to (talk|speak|text)"
        r"|safety plan|advice|support|information|info|speaks|leaving|to leave"
    ),
    # harm and its means
    "harm": _family(
        r"kill\w*|murder\w*|hurt\w*|hit|hits|hitting|punch\w*|kick\w*|beat|beats|beating|beaten"
        r"|strangl\w*|chok\w*|throttl\w*|stab\w*|knife|knives|blade|gun|weapon|bat|hammer"
        r"|crowbar|machete|axe|screwdriver|bottle|scissors|fire|petrol|lighter|burn\w*|gas"
        r"|cleaver|sword|rifle|shotgun|pistol|firearm|taser|pepper spray|poker|pipe|iron bar"
        r"|drop (her|him|them|me|the baby|it)|balcony|ledge|off the (roof|bridge)|out the window"
        r"|acid|drown\w*|smother\w*|suffocat\w*|pillow|throat|neck|bleed\w*|blood|smash\w*"
        r"|attack\w*|drag\w*|push\w*|shov\w*|throw\w*|threw|pinn\w*|headlock|slap\w*|stamp\w*"
        r"|boiling|poison\w*|rope|noose|grave|shovel|dead|die|dying|end it|finish (me|us|you)"
        r"|sort (me|you) out|teach (me|you) a lesson|break my|broke my|broken|bruis\w*"
        r"|unconscious|passed out|cannot breathe|can not breathe|could not breathe|pregnant"
        r"|squeez\w*|grabb\w*|twist\w*|bit me|bite|scald\w*|cut|cutting|glass|pressing"
        r"|holding me down|by the hair|hair|wall|floor|stairs|belt|cord|wire|plastic bag|bag"
        r"|bruised|swollen|concussion|head|face|ribs|stomach|weapon\w*|shoot|shot|lock me"
        r"|lit|alight|on fire|set fire|smoke|battered|batter\w*|banister|over the (edge|railing)"
        r"|(he is|she is|they are) going (mental|crazy|nuts|mad|berserk)|kicking off|raging"
        r"|fuel|jerry can|(filling|filled) (bottles|cans)|mark (me|my face|you)|scar (me|my)"
        r"|disfigur\w*"
    ),
    # medicine, an inhaler, an EpiPen: withheld or forced
    "meds": _family(
        r"inhalers?|epi ?pens?|insulin|meds|medication|medicine|tablets|pills|pump|puffer"
        r"|paracetamol|oxygen|nebuli[sz]er|insulin pen|antidepressants|heart tablets|sleeping pills"
        r"|morphine|doses?|dosage"
    ),
    "withheld": _family(
        r"hid|hidden|hides|hiding|took|taken|takes|taking|threw|thrown|flushed|binned|withh\w*"
        r"|stole|stolen|emptied|destroyed|crush\w*|forc\w*|making me|made me|swallow\w*"
        r"|(will not|would not|does not|is not|are not|refuses to) (give|let|giving|letting)"
        r"|not letting|(has not|hasnt|have not|havent|had not|not been|not) (given|giving)"
        r"|(has not|hasnt|have not|did not|not) let me (have|take|use|get|near)"
        r"|spik\w*|drugg\w*|slipp\w*|putting something|put something|into my|doubl\w*"
        r"|(keeps|kept|keeping) my|(do not|will not|not) (get|have) (them|it|my \w+)"
        r" (till|until|unless)"
        r"|refus\w* (to )?(let|give)|stop\w* me (taking|having|using|getting)|giving me"
        r"|not allowed (my|to have|to take|to use)|(has|is|got|holding|keeping) (got )?my (epi ?pen"
        r"|inhaler|insulin|meds|medication|tablets|pills)"
        r"|(drink|drinks|food|tea|coffee)"
    ),
    # trapped, held, kept in
    "trapped": _family(
        r"locked|locks|locking|trapped|(will not|would not|does not|is not) let(ting)? me"
        r"|not letting me|(can not|cannot|could not) (get out|leave|move|escape|get away)"
        r"|blocking|blocked|barricad\w*"
        r"|(took|taken|has|got|hid|hidden) (my|the) (car )?(keys|phone)"
        r"|(not|never) (leaving|leave|getting out of|get out of) (this|the) (room|house|flat|car)"
        r"|(hidden|hid|hides|took|taken|broke|broken|smashed) my (wheelchair|walker|walking frame"
        r"|frame|crutches|mobility scooter|scooter|hearing aids?|glasses|stick)"
        r"|tied|tie me|holding me|held me|pinned|sat on me|sitting on me|hostage|stuck"
        r"|shut (me )?in|(will not|would not|does not|is not) (open|unlock)|not going where"
        r"|(will not|would not) (stop|let me out)|taking me somewhere|wrong way"
        r"|(took|taken|got|has|hidden|hid|burnt|burned) (my|our) (passports?|documents|papers)"
        r"|(my|our) (passports?|documents|papers) (is|are|has been|have been|was|were) (\w+ )?(gone"
        r"|taken|missing|hidden|locked|burnt|burned)"
    ),
    # fear, hiding, shaking
    "fear": _family(
        r"scared|terrified|frightened|afraid|petrified|panick\w*|shaking|trembling|crying"
        r"|hiding|hide|hid|under the (bed|stairs|table)|in the (toilet|bathroom|wardrobe)"
        r"|(?<!leave me )(?<!leave us )alone|on my own|by myself|fear|heart (is )?(racing|pounding)"
        r"|freaking out|shaking|panic|cannot stop"
        r"|crying|sobbing|hands are|in the dark|lights off|pretending to (sleep|be asleep)"
        r"|while (he|she|they) (is|are) (asleep|sleeping|passed out|in the shower|out)"
        r"|before (he|she|they) (wakes?|gets? back|comes? back)"
    ),
    # not able to talk, someone listening
    "silent": _family(
        r"(can not|cannot|not able to|unable to) (talk|speak|call|ring|phone|make a (sound"
        r"|noise)|say)|can only (text|type|message)|whisper\w*|quiet|text only|(do not) (ring"
        r"|call|phone) me|will hear|typing (under|quietly|with one hand)|under the (covers"
        r"|duvet|table)|silent|listening|(does not|do not|must not|can not) know i|secret\w*"
        r"|from the (loo|toilet|bathroom)|hidden phone|on the quiet|behind (his|her) back"
        r"|before (he|she|they) (takes|sees|notices|comes)|only (got|have) a (sec|second|minute)"
        r"|(can not|cannot) (shout|scream|call out)"
    ),
    # children taken or threatened
    "kids": _family(
        r"kids|children|child|baby|son|daughter|toddler|little (one|ones|boy|girl|sister|brother)"
        r"|baby (sister|brother)|my boy"
        r"|my girl"
    ),
    "taken": _family(
        r"taken|took|snatched|grabbed|kidnap\w*|abduct\w*|drove off|driven off|run off|ran off"
        r"|gone off|airport|abroad|never see|(not|will not|refuses to|has not) (bring|brought"
        r"|give|send|return\w*)( \w+)? back|without (my )?permission|not answering|phone is off"
        r"|(will not|does not|refuses to|not) (tell|say) (\w+ )?where (we|they|he|she|i) (are|is|am"
        r"|were|went)|took us|taken us|flying (out|me)|put me on a plane|sending me (abroad|back"
        r"|away|home)|one way ticket"
    ),
    # a marriage they are sent to within days: "flying me to marry on saturday"
    "wedding": _family(
        r"(marr\w*|wedding|nikah)( \w+){0,6} (on (monday|tuesday|wednesday|thursday|friday"
        r"|saturday|sunday)|next week|this (week|weekend)|tomorrow|in (a few|two|three|\d+) days)"
        r"|(on (monday|tuesday|wednesday|thursday|friday|saturday|sunday)|next week|this (week"
        r"|weekend)|tomorrow|in (a few|two|three|\d+) days)( \w+){0,6} (marr\w*|wedding|nikah)"
    ),
    # someone else attacked, heard or seen now
    "other": _family(
        r"(my|the|her|his|our) (mum|mother|sister|brother|neighbour|friend|nan|gran|flatmate"
        r"|housemate|daughter|son|baby|wife|girlfriend)|screaming|screams|yelling|shouting"
        r"|crying|through the wall|next door|neighbours?|(i can )?hear (her|him|them|it)"
    ),
    # a threat said, with a time or a finality
    "said": _family(
        r"says|said|told|tells|texted|texts|messaged|sent|threaten\w*|warned|swore|swears"
        r"|promised|keeps saying|screamed|shouted|yelled|whispered|wrote|posted"
    ),
    "final": _family(
        r"it ends|ends|(it|this|all|you|we|i) (is|are|am|will be) over|be over|(my|your|her|the"
        r"|this) (last|final) (day|night|week|weekend|christmas|birthday|warning|hours?|chance"
        r"|time)|last warning|final warning|goodbyes?|deal with (me|you|us)"
        r"|make (me|you) (pay|regret|sorry)|regret|never (see|wake|find)|(will not|never) (see|live"
        r"|survive|make it)|(nobody|no one) will (ever )?(find|miss|know|hear|see|save|help)"
        r"|(dead|gone) by|nothing to lose|that is it|disappear\w*|vanish\w*|is the (night|day)"
        r"|(tonight|today) the (night|day)|(will be|is going to be|is) (my|your) last"
        r"|(my|your) name on a list|the date is (tomorrow|tonight|today)"
        r"|(learn|learns|learnt|learned|teach|teaches|taught)"
        r" (me |you |her |him )?(my|your|her|his|a) lesson"
        r"|(not|never) (leave|leaving|get out of|getting out of|walk out of) (this|the|here)"
        r" (\w+ )?alive|(not|never) (get|getting|make it|making it) out (of here )?alive"
        r"|(tonight|today|this) is it|it is happening|(write|writing|wrote) a (note|letter)"
        r"|did it to myself|suicide note|make it look like"
        r"|finish (what (he|she|they) started|the job|(me|you|us) off)"
        r"|(nobody|no one) would (ever )?(know|find|miss|notice|care)"
        r"|this is it|pay for|you are next|i am next|finished|done for|my body|miss me"
        r"|when i am gone|the end|for good|once and for all|dig|wake up|my body"
        r"|see the (morning|sun|end|weekend|new year|daylight|day)"
        r"|(got|have|has) (till|until)|not (live|survive)|get me|come for me"
        r"|not (going to )?be (alive|here|breathing)|will not be (alive|breathing)|tick tock"
        r"|countdown|counting (down|the (days|hours))|clock is ticking|see you (soon|tonight)"
        r"|(i|you|she) will be gone|be gone|ever have|last (one|argument|thing|night|day) (you|we"
        r"|i)"
        r"|in (a|the) (box|ground|bag)|over for (me|you|us)|not be (a )?(me|you)|or else"
        r"|(will|going to) pay|back for (me|you|us)|what (he|she|they) will do|nothing left"
        r"|(is|it is|its) ending|ending (it|today|tonight)|(are|is|am) next"
        r"|(will not|never) be (a problem|around|here|in the way)|sort (it|this|you|me|her)( out)?"
        r"|find out what happens|(i am|you are|we are) done\b|done warning"
        r"|(will not|never) (be )?(coming|come|going|get|getting) (home|back)|(days|hours) left"
        r"|crossing (off )?(the )?days|be around for|never (walk|see|talk|work|leave) again"
        r"|make sure (i|you|she|he) never|hospital will|funeral|coffin|morgue|one way"
        r"|not (waking|wake) up|(will not|never) wake up"
    ),
    # a plea, urgency
    "plea": _family(
        r"help|please|sos|urgent\w*|emergency|quick|quickly|hurry|asap|police|999|ambulance"
        r"|(get|got|getting) (out|away) (now|tonight|right now)|come (now|quick|quickly|asap"
        r"|right now)|i need (someone|somebody|help) (right )?now"
    ),
    # their own life at risk
    "self": _family(
        r"kill myself|end (my|it) (life|all)|overdos\w*|swallowed|taken (all|a load"
        r"|loads|too many)|rope|noose|goodbye|(have|just) (taken|took)"
        r"|took (an overdose|pills|tablets|all)|cut (myself|my wrists?)|jump (off|in front)"
        r"|bridge|train tracks|end it (all|now|tonight)"
        r"|(no|a) way out|(tablets|pills) (out|lined up|in front of me)"
    ),
    # thoughts of not going on, without a plan or a means: the suicide line, not 999 by itself
    "ideation": _family(
        r"want to die|(can not|cannot) (go on|do this|take it)|better off dead|ending it"
        r"|(do not|not) want to (live|be here|be alive|wake up|exist)|(do not|not) see the point"
    ),
    # Not danger now: the past, a question, the figures, something arranged, safe now.
    "past": _family(
        r"(?<!mins )(?<!minutes )(?<!seconds )(?<!hour )(?<!hours )ago|used to|last (year|month"
        r"|summer|christmas)|when i was|when we were|as a (kid"
        r"|child|teenager)|growing up|back in|in (19|20)\d\d|that was|once|years|in the past"
        r"|last time (i|he|she|we|they|it|you) (\w+ed|was|were|went|saw|rang|came|did|got"
        r"|took|told|had)"
        r"|when (he|she|they) (was|were)|last week|yesterday|divorced|moved since|have moved"
        r"|in prison|my childhood"
        r"|was (strangled|hit|beaten|abused|attacked|raped)|still (think|affects|cannot sleep)"
        r"|i am \d\d now|sent down|went to prison|was (jailed|convicted|sentenced)"
    ),
    # a question about what if, or what counts: not this happening now
    "hypothetical": _family(
        r"what (should|would|could) (someone|you|a person|people|we|i) do|what if"
        r"|if (he|she|they) (ever|comes?|does|did|was|were|tries)|is (it|that|this) (abuse"
        r"|normal|controlling|domestic|a crime|illegal)|does (that|it|this) count|what happens"
        r"|is it safe|am i overreacting|what are|(is|are) (he|she|they|it) (allowed|legal)"
        r"|(can|could) (he|she|they)|would (he|she|they)|is it (ok|okay|wrong)|right$"
        r"|asked in general|is this (the|a|an|real|really)"
        r"|are you (the|a|an|real|really|human|police)"
        r"|(can|could|will|would) (the )?(police|court|courts|judge|council) \w+"
    ),
    # asking how, where, who: help sought, now or not
    "ask": _family(
        r"how (do|can|should|would|long|many|much)|(can|should|could|do) i|is there"
        r"|who (do|can|should) i|where (do|can) i|what do i do|what can i do|should i"
    ),
    # danger named outright
    "alarm": _family(
        r"danger|unsafe|not safe|emergency|sos|for my life|in danger|trapped|against my will"
        r"|overdos\w*|hostage|held|send (help|someone)|going to die|not going to make it"
        r"|being (attacked|beaten|strangled|stabbed|choked|raped)|anaphyla\w*|allergic|allergy"
        r"|(eaten|ate) (something with )?nuts|throat (is )?closing"
    ),
    # the emergency services named
    "services": _family(r"ambulance|999|police|paramedics?|fire brigade|cops"),
    # control, money, phones, put-downs: abuse to talk through, not an emergency by itself
    "control": _family(
        r"check\w*|control\w*|money|phone|orders|criticis\w*|names|visa|deport\w*|allowance"
        r"|bank|wages|passwords?|messages|friends|family|clothes|wear|isolat\w*|jealous\w*"
        r"|believe me|crazy|stupid|fat|useless|gaslight\w*|silent treatment"
    ),
    # what did not happen: "he doesn't hit me"
    "negated": _family(
        r"(does not|do not|did not|never|has never|would never|is not|has not) (\w+ )?(hit|hurt"
        r"|touch\w*|violent|physical|laid a finger)"
    ),
    "figures": _family(
        r"figures|statistics|stats|cases|rate|rates|numbers (for|in)|data|compare|borough"
        r"|boroughs|trend|most|fewest|worst|safest|safer|essay|research|book|film|article|news"
        r"|story|character|novel|script|realistic|writing a"
        r"|report\w*|offences|crime|crimes|how many|(a|one|another) (woman|man|girl|boy|person"
        r"|mother|mum|teenager) (was|were|has been|got) \w+ed"
    ),
    "arranged": _family(
        r"tomorrow|next (week|month|year|time)|on (monday|tuesday|wednesday|thursday|friday"
        r"|saturday|sunday)|at the weekend|to (fix|pick up|collect|check|visit)|as agreed"
        r"|plumber|engineer|landlord|boiler|heating|(fire|smoke|burglar) alarm|alarm|dog|cat"
        r"|parcel|delivery|school play|contact (visit|centre)|later|every other (weekend|week)"
        r"|allowed to (see|have|visit)|contact with"
    ),
    # the law, the courts: a process, not an attack
    "legal": _family(
        r"court|courts|custody|solicitor|lawyer|divorce|mediation|hearing|injunction|order"
        r"|non molestation|judge|legal\w*|barrister|cafcass|statement|evidence|report\w*"
    ),
    # worry about someone else, not an attack heard now
    "concern": _family(
        r"worried|worry|worrying|concerned|i think (she|he|they) (is|are|might|may)"
        r"|(she|he|they|friend|sister|mum|brother|daughter|son|neighbour) (thinks|thought"
        r"|told me|says|said) (that )?(her|his|their|she|he|they)"
        r"|not sure (if|whether)|i suspect|signs|how (can|do) i help (her|him|them)"
    ),
    "safe": _family(
        r"(i am|we are|i feel) safe|safe now|(he|she|they) (has|have) (gone|left)|not here"
        r"|in (a|the) refuge now|moved away|no longer|not in danger|we split|broke up|left him"
        r"|not (anywhere )?near (me|us|here)"
        r"|left her|and left(?! (a|an|the|me|my|some|something|flowers|notes?|messages?))"
        r"|(he|she|they) (left|went out|stormed out|walked out|has gone out)"
        r"(?! (a|an|the|me|my|some|something|flowers|notes?|messages?))"
        r"|not allowed (near|to see|to come|to contact)|no contact"
    ),
}
