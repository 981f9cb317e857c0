"""Pieces of patterns shared by several rules: who, to whom, when."""

from __future__ import annotations

# Coming later, or for something arranged: not on the way now.
LATER = (
    r"(?!( \w+){0,9} (tomorrow|next|on \w+day|at the weekend|this weekend|later this week"
    r"|later(?! tonight| today| on tonight)"
    r"|for christmas)|( round| over)? to (court|the hearing|mediation|fix|repair|collect|visit"
    r"|pick up|get his|get her|see the (kids|children)))"
)
WHO = r"(he|she|they|him|her|my ex|ex|my (husband|wife|partner|boyfriend|girlfriend|dad|father))"
VICTIMS = (
    r"(me|us|the kids|the children|the baby|my (kids|children|baby|son|daughter|mum|sister"
    r"|little (girl|boy)))"
)
LANGUAGES = (
    r"(urdu|punjabi|bengali|bangla|hindi|gujarati|arabic|somali|polish|romanian|turkish|tamil"
    r"|farsi|persian|kurdish|portuguese|spanish|tigrinya|amharic|twi|yoruba|lithuanian"
    r"|bulgarian|albanian|pashto|chinese|mandarin|cantonese|vietnamese|russian|ukrainian)"
)
FRIEND_WHO = (
    r"(friend|friends|mate|sister|brother|daughter|son|mum|mother|dad|father|cousin|niece|nephew"
    r"|aunt|auntie|aunty|uncle|neighbour|neighbor|flatmate|housemate|colleague|grandma|grandad)"
)
PARTNER = (
    r"(husband|wife|partner|boyfriend|girlfriend|ex|fiance|fiancee|fella|feller|bloke|man"
    r"|other half|missus)"
)
