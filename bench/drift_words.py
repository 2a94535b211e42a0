"""Word lists of the drift generator v2 (bench/drift_plants.py): what news copy and its rewrites use,
gathered from style guides and common usage (not from storytrace's detector)."""

from __future__ import annotations

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

NOT_NAMES = set(MONTHS + WEEKDAYS) | {
    "The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "But", "And", "Mr", "Mrs", "Ms",
    "Dr", "His", "Her", "This", "That", "There", "When", "After", "Before", "For", "With", "As", "If", "By",
    "President", "Senator", "Governor", "Judge", "Police", "Officer", "Sheriff", "Chief", "Coach", "Captain",
    "General", "Minister", "Prime", "Secretary", "Director", "Actress", "Actor", "Singer", "Star", "New", "Los",
    "San", "Las", "Santa", "Saint", "North", "South", "East", "West", "United", "States", "Center", "Centre",
    "Street", "Court", "County", "City", "House", "University", "Department", "Hospital", "Beach", "Island",
    "Party", "Club", "Awards", "Award", "Church", "Hotel", "Company", "News", "Times", "Post", "Weekly",
    "Magazine", "Festival", "Academy", "Council", "Office", "Airport", "Avenue", "Road", "River", "Lake",
    "Valley", "Bay", "School", "College", "Republic", "Government", "Army", "Navy", "Agency", "Bank", "Group",
    "Games", "League", "Cup", "Series", "Show", "Theater", "Hall", "Park", "Stadium", "Treatment", "Clinic",
    "Institute", "Foundation", "Network", "Records", "Studios", "Pictures", "Entertainment", "Oscar", "Oscars",
    "While", "Although", "Though", "Since", "Because", "Then", "Now", "Yet", "So", "Also", "Meanwhile",
    "However", "Still", "Even", "Only", "Just", "Last", "Next", "Former", "Late", "Young", "Old", "Emmy", "Emmys", "Globe", "Globes", "Hollywood", "America", "American", "Americans", "Associated", "Press",
    "Reuters", "Twitter", "Facebook", "Google", "Apple", "Microsoft", "Intel", "Day", "Year", "Week",
    "Wildlife", "Telecom", "Fire", "Federal", "National", "Royal", "Central", "International", "Global", "Digital",
    "Energy", "Health", "Safety", "Security", "Media", "Film", "Films", "Sports", "Capital", "Communications",
}  # fmt: skip

TRANSLIT = [("ph", "f"), ("ck", "k"), ("c", "k"), ("k", "c"), ("y", "i"), ("i", "y"), ("ov$", "off"), ("sky$", "ski"),
             ("ski$", "sky"), ("sh", "sch"), ("w", "v"), ("v", "w"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("x", "ks"),
             ("kh", "h"), ("dj", "j"), ("q", "k"), ("ei", "ai"), ("tch", "ch"), ("z", "s"), ("s", "z"), ("th", "t"),
             ("j", "y"), ("ie", "y"), ("ll", "l")]  # fmt: skip

FIRST_NAMES = ["John", "Mary", "David", "Sarah", "Michael", "Laura", "James", "Anna", "Robert", "Linda", "Peter",
               "Karen", "Paul", "Susan", "Mark", "Helen", "Daniel", "Emma", "Thomas", "Julia"]  # fmt: skip

WORD_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                 "fifteen", "twenty", "thirty", "forty", "fifty"]  # fmt: skip

WORD_SWAPS = {"a dozen": ["two dozen", "three dozen"], "dozens": ["hundreds"], "hundreds": ["thousands", "dozens"],
               "thousands": ["hundreds", "tens of thousands"], "twice": ["three times"], "a hundred": ["two hundred"],
               }  # fmt: skip

QUOTE_WORDS = {"always": "usually", "all": "most", "every": "each", "proud": "pleased", "sure": "certain",
               "love": "like", "terrible": "awful", "wonderful": "great", "clear": "obvious", "know": "think",
               "happy": "pleased", "believe": "feel", "hope": "trust", "angry": "upset", "shocked": "surprised",
               "worried": "concerned", "serious": "grave", "important": "vital", "support": "backing",
               "people": "folks", "great": "fine", "good": "decent", "big": "huge", "many": "several",
               "everyone": "everybody", "family": "relatives", "work": "job", "decision": "choice",
               "respect": "regard", "looking": "hoping", "privacy": "space", "help": "aid", "want": "would like",
               "very": "extremely", "really": "truly", "best": "top", "time": "moment",
               "difficult": "tough", "excited": "thrilled", "glad": "happy", "tragic": "sad", "thing": "matter",
               "together": "jointly", "continue": "keep", "forward": "ahead", "everything": "all"}  # fmt: skip

INSERTS = ["really", "truly", "simply", "just", "very", "quite", "deeply", "fully"]

DROPPABLE = {"very", "really", "just", "also", "still", "even", "so", "too", "quite", "now", "always",
              "certainly", "truly", "deeply", "simply", "definitely", "absolutely", "completely"}  # fmt: skip

DANGLING = {"a", "an", "the", "and", "or", "of", "to", "in", "with", "for", "that", "my", "his", "her", "their", "our",
             "your", "its", "at", "on", "by", "from", "as", "but", "is", "are", "was", "were", "be"}  # fmt: skip

IRREGULAR = {"be": ("was", "been"), "have": ("had", "had"), "go": ("went", "gone"), "make": ("made", "made"),
             "take": ("took", "taken"), "give": ("gave", "given"), "meet": ("met", "met"), "leave": ("left", "left"),
             "begin": ("began", "begun"), "hold": ("held", "held"), "see": ("saw", "seen"), "come": ("came", "come"),
             "get": ("got", "got"), "pay": ("paid", "paid"), "run": ("ran", "run"), "find": ("found", "found"),
             "tell": ("told", "told"), "say": ("said", "said"), "win": ("won", "won"), "lose": ("lost", "lost"),
             "send": ("sent", "sent"), "spend": ("spent", "spent"), "bring": ("brought", "brought"),
             "keep": ("kept", "kept"), "buy": ("bought", "bought"), "build": ("built", "built"),
             "do": ("did", "done"), "put": ("put", "put"), "set": ("set", "set"), "sell": ("sold", "sold"),
             "become": ("became", "become"), "seek": ("sought", "sought"), "speak": ("spoke", "spoken"),
             "write": ("wrote", "written"), "lead": ("led", "led"), "fly": ("flew", "flown"), "host": ("hosted", "hosted"),
             "hit": ("hit", "hit"), "cut": ("cut", "cut"), "let": ("let", "let"), "shut": ("shut", "shut"),
             "quit": ("quit", "quit"), "spread": ("spread", "spread"), "cost": ("cost", "cost"), "hurt": ("hurt", "hurt"),
             "beat": ("beat", "beaten"), "fall": ("fell", "fallen"), "rise": ("rose", "risen"), "grow": ("grew", "grown"),
             "know": ("knew", "known"), "show": ("showed", "shown"), "throw": ("threw", "thrown"),
             "draw": ("drew", "drawn"), "drive": ("drove", "driven"), "break": ("broke", "broken"),
             "choose": ("chose", "chosen"), "forget": ("forgot", "forgotten"), "fight": ("fought", "fought"),
             "stand": ("stood", "stood"), "sit": ("sat", "sat"), "feel": ("felt", "felt"), "hear": ("heard", "heard"),
             "teach": ("taught", "taught"), "catch": ("caught", "caught"), "think": ("thought", "thought"),
             "shoot": ("shot", "shot"), "strike": ("struck", "struck"), "steal": ("stole", "stolen"),
             "hide": ("hid", "hidden"), "read": ("read", "read"), "mean": ("meant", "meant"), "sing": ("sang", "sung"),
             "swim": ("swam", "swum"), "eat": ("ate", "eaten"), "wear": ("wore", "worn"), "rebuild": ("rebuilt", "rebuilt")}  # fmt: skip

NOT_VERBS = {"not", "also", "be", "soon", "likely", "then", "still", "never", "now", "only", "probably", "have",
              "continue", "need", "again", "just", "all", "both", "each", "certainly", "definitely", "ever", "always",
              "once", "finally", "either", "there", "you", "we", "they", "the", "this", "that", "surely", "undoubtedly",
              "immediately", "eventually", "officially", "automatically", "remain", "get", "face"}  # fmt: skip

PLANNED = {"planned": "completed", "proposed": "approved", "upcoming": "recent"}

ANTONYMS = {"failed to": "managed to", "managed to": "failed to", "refused": "agreed", "agreed": "refused",
            "denied": "admitted", "admitted": "denied", "rejected": "accepted", "accepted": "rejected",
            "refuses": "agrees", "agrees": "refuses", "denies": "admits", "admits": "denies",
            "confirmed": "denied", "approved": "rejected"}  # fmt: skip

#: countries and regions often written before or after a capitalised word ("Telecom Egypt")
COUNTRIES = {"Egypt", "Iran", "Iraq", "Israel", "India", "China", "Japan", "Russia", "France", "Germany", "Italy",
             "Spain", "Greece", "Britain", "England", "Wales", "Scotland", "Ireland", "Canada", "Mexico", "Brazil",
             "Australia", "Africa", "Europe", "Asia", "Somalia", "Kenya", "Pakistan", "Afghanistan", "Syria",
             "Turkey", "Ukraine", "Poland", "Sweden", "Norway", "Denmark", "Netherlands", "Belgium", "Switzerland",
             "Austria", "Portugal", "Korea", "Vietnam", "Thailand", "Indonesia", "Philippines", "Nigeria", "Libya",
             "Tunisia", "Morocco", "Lebanon", "Jordan", "Yemen", "Saudi", "Arabia", "Qatar", "Dubai", "Chile",
             "Argentina", "Peru", "Colombia", "Venezuela", "Cuba", "Haiti", "Alaska", "Hawaii", "California",
             "Texas", "Florida", "Georgia", "Virginia", "Washington", "Paris", "London", "Athens", "Rome", "Berlin",
             "Moscow", "Tokyo", "Beijing", "Mumbai", "Delhi", "Cairo", "Tehran", "Baghdad", "Kabul", "Sydney"}  # fmt: skip
