"""Danger said indirectly (issue 16), and not able to talk with the person there."""

from __future__ import annotations

from bot.core.understand.phrases import LATER, WHO
from bot.core.understand.rules import rx

# Danger said indirectly (issue 16): a threat with a time or a finality, someone near or
# following, an address found, not able to speak, trapped, fuel or fire, medicine withheld
# or forced, children taken.
MEDS = (
    r"(inhalers?|epi ?pens?|insulin|meds|medication|medications|medicine|medicines|tablets"
    r"|pills|oxygen|nebuli[sz]er|antidepressants|asthma pump|pump|puffer)"
)
KIDS = r"(kids|children|child|baby|son|daughter|boy|girl|little (one|ones|boy|girl)|toddler)"
FINAL = (
    r"it (ends|will end|is ending|will (all )?be over)|(all )?be over (for|by)"
    r"|(not|never|will not) (see|make it to|live to see|survive) (christmas|new year|tomorrow"
    r"|the morning|the weekend|my birthday|next \w+|another \w+|the night|summer)"
    r"|(my|your|her) (last|final) (day|night|week|weekend|christmas|birthday|hours?)"
    r"(?! (at|of|in|on) )"
    r"|(will not|never) wake up"
    r"|(i am|i will be|you are|you will be|she is) (finished|dead|done for|gone)"
    r"|last warning|(that is|it is) it for (me|you)|(dead|gone) by"
    r"|night i pay|(i|you) (will|am going to|are going to) pay for"
    r"|say goodbye to|the last time i ever|(have|has|got) (got )?(till|until) (sunday|monday"
    r"|tuesday|wednesday|thursday|friday|saturday|tonight|tomorrow|midnight|the morning)(?! to)"
    r"|(end|finish) (it|this|me|us) (tonight|today|now|for (good|both|all|us|the both)"
    r"|once and for all)"
)
WHERE = (
    r"(outside|across|opposite|over the road|down the road|up the road|at the (end|bottom|top)"
    r"|round the corner|in front|in (his|her|their|a|the) (car|van)|by (the|my|our)|near (the|my"
    r"|our)|at (the|my|our) (front |back )?(door|gate|window|house|flat|work|school|building"
    r"|garden)|in the (street|road|garden|car park|stairwell|lobby|hallway|hall|drive))"
)
PLACES = (
    r"(door|front door|back door|gate|garden|window|windows|house|flat|home|porch|stairs|path"
    r"|drive|driveway|landing|hallway|hall|lobby|building|block|street|road|car park|school gates?"
    r"|work|office|hostel|refuge)"
)
DANGER_IMPLIED = rx(
    rf"(says|said|told \w+|tells \w+|texted|texts|text|messaged|message|voicemail|note"
    rf"|keeps (saying|telling)|warned"
    rf"|threaten\w*|swore|swears|screamed|shouted|wrote|promised|whisper\w*|hissed|mouthed)\b"
    rf".{{0,45}}\b({FINAL})",
    r"enjoy (your|my) (last|final)|(end|finish) it tonight|i know where you (live|are|sleep"
    r"|work)|(my ex|ex)\b.{0,20}\bsee you (tonight|soon)",
    # not allowed near: an order broken, now
    r"not (meant|supposed|allowed) to be (here|there|near|in|at|within)",
    rf"({WHO}|someone|somebody|the stalker|stalker) (is|are) (at the (end|bottom|top) of|outside"
    r"|across from|opposite|near|in|inside|on) (my|the|our) (\w+ )?(\w+ )?(right now|now|again)"
    r"|(someone|somebody) (is )?(in|inside|at|outside) (the|my|our) (garden|house|flat|hall"
    r"|hallway|kitchen|door|window|back door|front door)"
    r"|(the stalker|stalker) (is|are) (at the (end|bottom|top) of|outside|across|opposite|near"
    r"|by|in)",
    rf"({WHO}|and) (is|are) on (the|his|her|their) way( here| over| round| to (me|mine|my))?"
    rf"{LATER}",
    rf"{WHO} (is|are) (waiting|standing|lurking|hanging around) (in|at|by|outside|near) (\w+ )?"
    r"(reception|lobby|foyer|entrance|car park|gate|door|stairwell|corridor|landing)",
    # someone near, coming or following
    rf"{WHO} (is|are|has been|have been|keeps?) (parked|sat|sitting|standing|waiting|lurking"
    rf"|hanging (around|about)|watching|staring)( \w+){{0,4}} {WHERE}"
    rf"|{WHO} (is|are|has been|keeps?) (watching|staring (at|up at|in|into|through)) (my|our|the)"
    r" (house|flat|home|window|windows|door)"
    rf"|{WHO} (is|are) (walking|running|driving|heading|making (his|her|their) way) (up|down"
    r"|to|towards|into|over|round|here|this way|back)(?!( \w+){0,6} (tomorrow|next|on \w+day))",
    r"circling (the|my|our) (block|house|flat|street|road|building)"
    rf"|{WHO} (is |has )?(just )?(pulled|pulling|parked|parking) up"
    r"|(followed|following|follows) (the|my|our) (bus|train|car|taxi|cab|tube)",
    r"(his|her|their) (car|van|bike|motorbike|taxi) (is|has been|keeps|was) (behind|following"
    r"|outside|parked|across|opposite|at the end)",
    r"(can see|just saw|just seen|i see) (him|her|them|my ex|his (car|van)|her car)\b.{0,30}"
    r"\b(at|outside|across|opposite|by|near|standing|sitting|waiting|watching|staring|parked"
    r"|behind|over the road)",
    r"(is|are|be) (only )?(\d+|to|a few|a couple of|two|five|ten|twenty) (min\w*|mins) (away|off"
    r"|from here)",
    rf"(my ex|ex|ex (husband|wife|partner|boyfriend|girlfriend)) (is|are) (in|at|on|by|outside)"
    rf" (the|my|our) {PLACES}|looking (in|through) (the|my|our) windows?",
    r"(trying|rattling|trying to open|tried to open|pulling) (the|my|our) (front |back )?(door"
    r"|door handle|handle|lock|windows?)",
    r"(got|gets|came|climbed|broke|snuck|sneaked) in(to)? (through (the|a|my|our|his|her)"
    r" (back|front|window|door|garden|kitchen)|via|somehow)|let (himself|herself|themselves) in",
    r"(been|is|are|keeps|keep|kept) (knocking|banging|buzzing|ringing the (bell|doorbell"
    r"|buzzer))",
    r"on the same (bus|train|tube|carriage|platform)|same (bus|train|tube) as me",
    r"(is|are) (outside|at|by) (the|my|our) (front |back )?(gate|garden|porch|stairs|path|drive"
    r"|driveway)|(is|are|has been) (\w+ ){0,4}outside my (work|office|school|gym|building"
    r"|workplace|hostel|refuge|block)",
    # an address found
    rf"{WHO} (has |is |just |has just )?(knows|found out|found|worked out|tracked down|discovered"
    r"|got) (where|which|what) (hostel|refuge|shelter|address|flat|house|room|street|i|we|im"
    r"|the (refuge|hostel|shelter))|told (him|her|them) (where|which)",
    rf"{WHO} (has |is |just |has just )?(found|got|knows|found out|tracked down|has) (my|our)"
    r" (new )?(address|flat|house|home|location|refuge|hostel|place)",
    rf"{WHO} (has |is |just |has just )?(turned|showed|shown) up (at|to) (the|my|our) (refuge"
    r"|hostel|shelter|safe house|work|school|new \w+)",
    r"address (got |has |was |has been )?(leaked|given out|passed on)|(refuge|hostel|shelter"
    r"|safe house) address",
    r"(sent|messaged|texted|posted|sends|sending) (me )?a (photo|picture|pic|video) of (my|our)"
    r" (new )?(front door|door|house|flat|street|car|building|window|road|home)",
    # trapped, fire, fuel, smothering
    r"trapped in (the|a|his|her|my|our) (car|van|room|house|flat|bedroom|bathroom|basement"
    r"|cellar|shed|loft)|(will not|would not|does not) stop driving"
    r"|(barricad\w*|blocking|blocked) (the|my|our) (door|doors|way out|exit|front door)",
    r"(pour\w*|splash\w*|dous\w*|soak\w*|spray\w*|smells? of|sprinkl\w*)\b.{0,20}\b(petrol"
    r"|lighter fluid|lighter fuel|paraffin|white spirit|gasoline|diesel|fuel|bleach)",
    r"(set|sets|setting|put|lit|light|lighting|is|are|has)\b.{0,25}\b(on fire|alight|ablaze)"
    r"|(burn|burning|torch|torching) (the|our|my|this) (place|house|flat|home|car|room|bed)"
    r"|(flicking|flicks|waving|holding|playing with) (a|his|her|the) lighter",
    r"(round|around|on|against|at|to) my (throat|neck)|suffocat\w*|smother\w*|tried to drown"
    r"|(bag|pillow|cushion|hand|hands) (over|on|onto|against) my (head|face|mouth|nose)"
    r"|headlock|choke ?hold|(has|got|holding|held) me (in a|by the) (headlock|neck|throat)"
    r"|(sat|sitting|kneeling|knelt|lying) on (me|my (chest|back|neck|throat))",
    r"(petrol|lighter fluid|lighter fuel|paraffin|white spirit|gasoline|diesel) (all )?(over|on"
    r"|in|everywhere|round|around|across)"
    r"|(poured|pouring|threw|thrown|throwing|chucked) (boiling|hot) (water|oil|tea|coffee)"
    r"|(boiling|hot) (water|oil) (on|over|at) me",
    r"dig (your|my|a) (own )?grave|(shovel|spade)\b.{0,30}\b(dig|grave|bury)"
    r"|(climbed|climbing|jumped|jumping|got|getting) over (the|my|our) (back |front |garden )?"
    r"(fence|wall|gate)",
    r"(could not|cannot|can not|unable to|stop me|stopped me|stops me) (breathe|breath|breathing)"
    r"|(face|head) (into|in) (the|a) (pillow|water|bath|sink|mattress|cushion)",
    # medicine withheld or forced; drinks spiked
    rf"(he|she|they|my \w+|ex) (has |have |had |keeps |is |are |just )?(hid|hidden|hides|hiding"
    rf"|took|taken|takes|taking|threw|thrown|throws|flushed|flushes|binned|withh\w+|kept|stole"
    rf"|stolen|broke|broken|emptied|destroyed|smashed)( away)? (all )?(of )?(my|me my) (\w+ )?"
    rf"{MEDS}(?! (to|for|from) (the )?(pharmacy|chemist|doctor|gp|me))",
    rf"{WHO} (will not|would not|does not|refuses to|is not|are not) (give|let|giving|letting)"
    rf" me (have |take |use )?"
    rf"(my )?(\w+ )?{MEDS}",
    rf"(forc\w+|mak\w+ me (take|swallow)|made me (take|swallow))\b.{{0,15}}\b{MEDS}"
    rf"|{MEDS} down (me|my throat)|{MEDS} in my hand",
    r"(crush\w*|slipp\w*|spik\w*|drugg\w*|putting something|put something|puts something)\b"
    r".{0,20}\b(into|in) my (drinks?|food|tea|coffee|water)|spiked my drink|drugging me",
    # children taken or threatened
    rf"{WHO} (has |have |had |is |just )*(taken|took|snatched|grabbed|kidnapped|abducted|run off"
    rf" with|ran off with|gone off with|disappeared with|driven off with)( \w+)? (the|my|our)"
    rf" {KIDS}(?! (to|for) (school|nursery|the park|the weekend|his|her|their|a|swimming"
    r"|football)| as agreed)",
    rf"(the|my|our) {KIDS} (and|in the car and|into the car and|in his car and) (just )?"
    r"(drove|driven|sped|has driven|has gone|went|gone) off"
    rf"|(drunk|high) driving|driv\w+ (off )?(drunk|high)"
    rf"|(take|took|taken) (the|my|our|your) {KIDS}\b.{{0,40}}\bnever see"
    rf"|never see (the|my|your|our) {KIDS} again"
    rf"|(will not|refuses to|not|has not|did not) (give|bring|hand|send|brought|returned|given"
    rf"|dropped) (the|my|our) {KIDS} back",
    # hiding, now
    r"(i am|we are|am|i have been|we have been) hiding( (in|under|behind|upstairs|downstairs"
    r"|from (him|her|them)|now|right now|with the (kids|children|baby))|$)"
    r"|(hiding|hide|hid) (under|behind) (the|a|my) (bed|stairs|table|sofa|door|wardrobe|car)"
    r"|i am under the (bed|stairs|table)(?! with the dog)",
    # someone else in danger now, heard
    r"(screaming|screams|yelling|shouting|crying|calling) (for )?help"
    r"|(screaming|screams|yelling)\b.{0,25}\b(next door|downstairs|upstairs|through the wall"
    r"|in the (street|flat|house))|(child|baby|kids?) (is |are )?(crying|screaming) (and|next"
    r"|downstairs|upstairs)",
    # a means to end their life, with despair
    r"(rope|noose|ligature)\b.{0,40}\b(can not|cannot|anymore|any more|end it|die|over|goodbye)",
)
# Not able to talk, with the person there: "can only text, he's on the sofa".
CANT_TALK = rx(
    r"can only (text|type|message)|(can not|cannot|not able to|unable to) (talk|speak|call|ring"
    r"|phone|make a call|make a (sound|noise)|say (a word|anything))|(he|she|they) will hear me"
    r"|quiet please|whisper\w*|text only|(do not|dont) (ring|call|phone) me"
    r"|typing (under|quietly|secretly|in secret|with one hand)|under the (table|covers|duvet)"
)
PRESENT = rx(
    rf"{WHO} (is|are) (on the sofa|in the (next|other) room|next door|right here|here|next to me"
    r"|beside me|asleep|sleeping|listening|in the (room|house|flat|kitchen|lounge|bedroom"
    r"|bathroom|hall|living room)|right outside|outside the (door|room|bedroom|bathroom)"
    r"|watching (tv|the tv|telly|the telly|football|the football)|on (his|her) phone"
    r"|downstairs|upstairs)"
    r"|(he|she|they) will hear"
)
