"""Danger said outright: an attack, a threat to kill, a weapon, someone on the way, a life
at risk. Any one of these, said as now, opens the reply with 999."""

from __future__ import annotations

from bot.core.understand.phrases import LATER, VICTIMS, WHO
from bot.core.understand.rules import rx

DANGER = rx(
    r"danger|not safe|unsafe|(do not|never) feel safe",
    rf"(kill|murder|stab|shoot|strangle|strangl\w*|chok\w*|burn|drown|suffocate|smother|poison"
    rf"|bury)\w* {VICTIMS}",
    rf"(going to|will|would|wants? to|trying to|threaten\w* to|is) (hurt|kill|murder) {VICTIMS}",
    r"(kill|murder) (myself|me)|want to die|wanna die|end (my|it) (life|all)"
    r"|take my (own )?life|(no|not) reason to live",
    rf"(is|are|keeps?|started|now|just|has been|have been) (hitting|beating|punching|kicking"
    rf"|strangling|choking|attacking|hurting|stabbing|chasing|dragging) {VICTIMS}",
    # "won't stop hitting me": it is going on; "I can't stop hitting..." is the writer, not this.
    rf"((will|would|does|do) not|never|(he|she|they) (can not|cannot)) stops? (hitting|beating"
    rf"|punching|kicking|strangling|choking|attacking|hurting|stabbing|chasing) {VICTIMS}",
    r"(grab\w*|squeez\w*|hands?|chok\w*|strangl\w*)\b.{0,20}\b(throat|neck)",
    r"(police|ambulance) (need|needs) to come|need (the )?(police|ambulance) to come",
    r"(broken|smashed|kicked in|kicked down) (the|my|our) (door|window|lock)"
    r"|(smashed|broke|broken|smashing|breaking) (the )?(glass|window|windows|pane) (in|of|on)"
    r" (the|my|our)",
    rf"{WHO} (is|are) (banging|kicking off|going mad|going crazy|raging)",
    rf"{WHO} (is|are) (drunk|high) (and|again|now|right now)",
    r"(got|has|taken|took) (my|the|our) (little (girl|boy)|baby)",
    r"just (hit|punched|kicked|slapped|attacked|stabbed|strangled|choked) (me|us)",
    r"(hitting|beating|punching|kicking|attacking|strangling|choking|hurting) me (now|right now)",
    r"(banging on|knocking on|kicking|breaking|smashing|hammering on|pounding on|thumping on"
    r"|bashing) (the|my|our) (front |back )?(door|house|flat|windows?|home|room|car)"
    r"|(?<!barking )(?<!shoes )(outside|at|by) (the|my|our) (front |back )?(door|house|flat"
    r"|windows?|home|room|car)",
    rf"{WHO} (is|are) (outside|here|downstairs|upstairs|back|in the house|at the door"
    r"|right outside|just outside|right here"
    r"|on (his|her|their) way|waiting (outside|at|by|in the|downstairs|upstairs)"
    r"|looking for me|coming (back|for me|home|over|round)" + LATER + ")",
    r"(trying to|try to) (get in|break)|(break|broke|breaking) (in|into|the door)|door (down|in)",
    r"(found|follow\w*|chasing|stalking) me(?! (a|an|some|another) )|found where i live"
    r"|be back (in|soon|any)"
    r"|(going to|will|gonna) (find|come for|come after) me"
    r"|(looking|searching|waiting|hunting) for me(?! to)",
    rf"{WHO} (is|are) still (here|in the (house|flat|room|building|garden))",
    r"(need|get|want|send) (the )?police (now|here|asap|quick|quickly|urgently|right now)"
    r"|police now",
    r"locked (the|all the|every) (doors?|windows?)",
    r"(got|has|holding|with|waving|picked up|grabbed) (a|the|his|her) (\w+ )?(bat|knife|gun|hammer"
    r"|weapon|screwdriver|bottle|blade|crowbar|axe|poker|scissors|iron bar|chain|brick|machete)",
    r"locked (myself|me|us) in|locked in|(hiding|hide) (from|in)|pinned me"
    r"|pinn\w* (her|him|them|us) down|(has|got) (me|her|him|them) pinned"
    r"|(holding|held|pinning) (me|her|him|them|us) down"
    r"|(will not|would not) let me (leave|go|out)",
    r"hands? (round|around|on) my (neck|throat)|over my (face|mouth)",
    r"(knife|knives|gun|weapon|hammer|machete|blade|acid|baseball bat)(?! crime)",
    r"bleeding|blood everywhere|cannot breathe|can not breathe|unconscious|passed out"
    r"|knocked (me )?out",
    r"(threw|thrown|throwing|throws) (me|\w+ at me|things at me)|(threw|pushed) me down",
    rf"{WHO} (is|are) (smashing|breaking|throwing|wrecking)|smashing everything",
    # He is on the way: whatever else they ask, the reply must open with 999.
    rf"{WHO} (is|are) coming{LATER}",
    rf"{WHO} (is|are|will be|will get) (almost|nearly|about to be|about to get) (home|here|back)",
    rf"{WHO} (will be|will get|gets) (home|here|back) (soon|any (minute|second|moment|time)"
    r"|in (a|\d+|two|five|ten|a few) (min\w*|sec\w*))",
    # Their own life in danger: an overdose, no wish to live, held, trapped.
    r"overdos\w*|i (have )?(taken|took|swallowed|had) (all (of )?(my |the |his |her )?|too many "
    r"|loads of |lots of |a lot of |a load of |a bunch of |a handful of |some "
    r"|a (whole )?(box|packet|bottle|pack) of |)(pills|tablets|paracetamol|sleeping pills"
    r"|painkillers|meds|medication)",
    r"(do not|not) want to (live|be alive|be here|wake up|exist)(?! (with|in|at|here|there|near"
    r"|together|on))(?!( \w+)* (i am|i feel|we are) safe\b)|better off dead"
    r"|(wish|want) i (was|were) dead",
    r"(need|needs|get|call|ring|phone|send|want) (me |us |her |him )?(an |the )?ambulance"
    r"|ambulance (now|please|asap|quick)",
    r"(held|kept|keeping|holding|keeps|keep|locked)\b.{0,25}\bagainst (my|our) will"
    r"|held (hostage|captive|prisoner)|being held(?! (back|responsible|accountable|to))"
    r"|(keeping|holding|keeps|kept) (me|us) (here |in |inside )?(hostage|prisoner|captive)",
    r"(i am|we are|i have been|we have been|am|me|us) trapped(?! in (this|my|a|an|the|our)"
    r"( \w+)? (relationship|marriage|situation|life|cycle|job)| financially| with no money)",
    r"(fear|scared|afraid|frightened|terrified) for my life",
    r"(scared|afraid|terrified|frightened) (he|she|they) (is|are|will) (going to )?(kill|hurt)",
    r"night i die|(i|you) (will|are going to|am going to) die|(nobody|no one) will (ever )?find",
    r"(will|going to) finish (me|you|it)",
    r"burn (the|our|my) (house|flat|home)|set fire|fire to (the|our|my) (house|flat|home)",
    r"(arm|nose|ribs?|jaw|wrist|leg|finger|hand) (is |are )?broken|broken (arm|nose|ribs?|jaw"
    r"|wrist|leg)",
    r"(parked|sat|sitting|standing|hanging around) outside",
    r"turned up at (the|my|our|her|his|their) (house|flat|door|home)",
    r"(someone|somebody|anyone) (please )?(call|ring|phone) (someone|somebody|anyone|for help"
    r"|the police|999|an ambulance)",
    r"help me now|need help now|help now|help (asap|quick|quickly|fast)|sos|emergency(?! (accom"
    r"\w*|housing|refuge|shelter|place|contact))|urgent|urgently|(call|ring|phone|send) (the )?"
    r"police|(call|ring|dial) 999|send help|999",
)
