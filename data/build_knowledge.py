"""Write data/knowledge.xlsx: the triage knowledge (symptoms, advice, red flags, phrases, training rows).

    python data/build_knowledge.py [--out data/knowledge.xlsx] [--exclude CASES.csv ...]

Deterministic: the same script and held-out files give a byte-identical workbook. The knowledge is
written from public guidance (NHS health A-Z pages, NICE Clinical Knowledge Summaries); no text is
copied. Training rows are generated from the per-symptom level tables and the combination rules
below, labelled by the same rules the safety layer enforces (`tracker.safety.SafetyRules`), and any
check-in that appears in a held-out evaluation file (by default the shared dev cases) is left out.
"""

import argparse
import io
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tracker.features import SymptomContext, format_symptom_pairs, parse_symptom_pairs  # noqa: E402
from tracker.knowledge import COLUMNS, GENERIC_SYMPTOM, Knowledge, validate_knowledge  # noqa: E402
from tracker.levels import TriageLevel  # noqa: E402
from tracker.safety import SafetyRules  # noqa: E402
from tracker.vocabulary import Vocabulary  # noqa: E402

OUT_FILE = PROJECT_ROOT / "data" / "knowledge.xlsx"
ORIGINAL_SAMPLE = PROJECT_ROOT / "data" / "original_recommendations.xlsx"
DEFAULT_HELD_OUT = PROJECT_ROOT.parent / "shared" / "triage_eval" / "dev_cases.csv"
SEED = 20240611
FIXED_TIME = datetime(2024, 6, 11, 0, 0, 0)
ZIP_TIME = (2024, 6, 11, 0, 0, 0)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
LEVEL_CODES = {"S": TriageLevel.SELF_CARE, "D": TriageLevel.SEE_DOCTOR, "U": TriageLevel.URGENT}
LEVEL_CODES["E"] = TriageLevel.EMERGENCY

GP = "your GP"
# Region-neutral wording: the app shows the local emergency, urgent-advice and crisis numbers itself.
URGENT_GP = (
    "your GP practice for a same-day appointment, or an urgent care centre, out-of-hours service "
    "or nurse advice line"
)
URGENT_DENTAL = "an urgent dental service (your dentist, or a nurse advice line can find one)"
URGENT_EYE = "an urgent eye service, eye casualty or an urgent care centre"
URGENT_MIND = "your GP practice today, or an urgent mental health line"

TIPS = {
    "cardiovascular": "Sit down and rest while you wait, loosen tight clothing, and unlock the door if you are alone.",
    "respiratory": "Sit upright, breathe slowly, and use your reliever inhaler if you have one.",
    "neurological": "Note the time the symptoms started, as the team will ask. Do not eat or drink for now.",
    "mental_health": (
        "If you can, stay with someone you trust and move away from anything you could use to hurt yourself."
    ),
    "digestive": "Do not eat or drink until you have been seen, and note what you have brought up or passed.",
    "eyes": "Keep the eye closed and try not to rub it.",
    "ent": "Sit upright and stay calm. If you have an adrenaline auto-injector and any swelling, use it now.",
    "skin": "If you have an adrenaline auto-injector and any swelling or breathing trouble, use it now.",
    "general": "Stay with someone if you can, and unlock the door if you are alone.",
    "urinary": "Stay with someone if you can, and unlock the door if you are alone.",
    "musculoskeletal": "Keep still in the most comfortable position until help arrives.",
    "mouth": "Sit upright, and keep sipping water only if you can swallow safely.",
    "reproductive": "Stay with someone if you can, and unlock the door if you are alone.",
}


@dataclass(frozen=True)
class Symptom:
    """One canonical symptom: its level at severity 1..5 (S/D/U/E) and the words for its advice."""

    name: str
    system: str
    snomed: str
    levels: str
    source: str
    synonyms: str
    care: str = ""  # what to do at home (a full sentence)
    watch: str = ""  # signs that mean getting help sooner (a noun phrase: "Watch for …")
    danger: str = ""  # signs that mean calling emergency services (a noun phrase)
    review: str = "a week"  # when to see someone if it is not better
    who: str = GP  # who to book with at see_doctor
    urgent: str = URGENT_GP  # where to go today at urgent
    tip: str = ""  # what to do while waiting for emergency help (defaults by body system)


def s(*args: str, **kwargs: str) -> Symptom:
    return Symptom(*args, **kwargs)


# fmt: off
SYMPTOMS: tuple[Symptom, ...] = (
    # --- the original eight -----------------------------------------------------------------------------
    s("Headache", "neurological", "25064002", "SSSDU", "NHS headaches",
      "head ache|headaches|head pain|sore head|my head hurts|head hurts|pounding head|migraine|migraines|"
      "tension headache|throbbing head",
      care="Rest, drink plenty of water, and take paracetamol or ibuprofen if you need it.",
      watch="headaches that keep coming back, do not ease with painkillers, or come with being sick or "
            "blurred vision",
      danger="a sudden, very severe headache, confusion, a stiff neck with a temperature, slurred speech or "
             "weakness on one side",
      review="a few days"),
    s("Fatigue", "general", "84229001", "SSSDD", "NHS tiredness and fatigue",
      "tiredness|tired|tired all the time|exhaustion|exhausted|no energy|lack of energy|lethargy|lethargic|"
      "worn out|weary|fatigued",
      care="Keep regular sleep times, eat regular meals, stay gently active and cut down on alcohol and "
           "caffeine.",
      watch="tiredness that lasts more than a few weeks, weight loss you cannot explain, or breathlessness",
      danger="chest pain, severe breathlessness or fainting",
      review="2 to 3 weeks"),
    s("Nausea", "digestive", "422587007", "SSSSD", "NHS feeling sick (nausea)",
      "feeling sick|feel sick|sick to my stomach|queasy|nauseous|nauseated|nauseas|queasiness|"
      "motion sickness",
      care="Sip cold drinks often, eat small plain meals when you can, and get plenty of fresh air and "
           "rest.",
      watch="being unable to keep fluids down, signs of dehydration such as dark pee, or tummy pain",
      danger="vomiting blood, severe tummy pain, or a sudden severe headache",
      review="a few days"),
    s("Cough", "respiratory", "49727002", "SSSDD", "NHS cough",
      "coughing|chesty cough|dry cough|tickly cough|hacking cough|coughs|persistent cough|bad cough|"
      "cough that won't go away",
      care="Rest, drink plenty of fluids, and try a warm drink with honey and lemon (not for babies).",
      watch="a cough lasting more than 3 weeks, a high temperature, chest pain or breathlessness",
      danger="severe breathlessness, coughing up a lot of blood, or chest pain that spreads",
      review="3 weeks"),
    s("Back pain", "musculoskeletal", "161891005", "SSSDD", "NHS back pain",
      "backache|back ache|sore back|lower back pain|bad back|lumbago|my back hurts|back hurts|"
      "upper back pain|back spasm|back pains",
      care="Keep moving gently and carry on with daily activities as far as you can; heat packs and "
           "ibuprofen or paracetamol can ease the pain.",
      watch="pain that is not improving after a few weeks, stops you doing daily tasks, or comes with a "
            "temperature",
      danger="numbness around your bottom or genitals, loss of bladder or bowel control, or weakness in "
             "both legs",
      review="2 weeks"),
    s("Shortness of breath", "respiratory", "267036007", "DDUEE", "NHS shortness of breath",
      "breathlessness|breathless|short of breath|out of breath|can't breathe|cannot breathe|cant breathe|"
      "can't catch my breath|difficulty breathing|trouble breathing|hard to breathe|struggling to breathe|"
      "breathing difficulty|breathing problems|dyspnoea|dyspnea|winded|puffed out",
      care="Sit upright, breathe slowly, and avoid exertion until you have been checked.",
      watch="breathlessness that is getting worse, comes on with little effort, or wakes you at night",
      danger="breathlessness that comes on suddenly, blue or grey lips, chest pain, or being unable to "
             "speak in full sentences",
      review="a few days"),
    s("Chest pain", "cardiovascular", "29857009", "DUEEE", "NHS chest pain",
      "chest ache|pain in chest|pain in my chest|tight chest|chest tightness|chest pressure|heavy chest|"
      "sore chest|chest hurts|chest discomfort|angina",
      care="Rest, and avoid exercise or heavy lifting until you have been checked.",
      watch="pain that comes on with exertion, lasts longer, or comes back",
      danger="pain that feels heavy or tight, spreads to your arm, jaw, neck or back, lasts more than 15 "
             "minutes, or comes with sweating, sickness or breathlessness",
      review="a few days"),
    s("Fever", "general", "386661006", "SSSDU", "NHS fever in adults",
      "high temperature|temperature|a temperature|feverish|pyrexia|running a temperature|"
      "raised temperature|febrile|fevers|hot and feverish|temp|flu|flu like symptoms|flu-like symptoms",
      care="Rest, drink plenty of fluids, and take paracetamol or ibuprofen if it makes you more "
           "comfortable.",
      watch="a temperature that lasts more than 3 days, a new rash, a stiff neck or breathing trouble",
      danger="confusion, a stiff neck, a rash that does not fade when you press a glass on it, or "
             "difficulty breathing",
      review="3 days"),
    # --- general ----------------------------------------------------------------------------------------
    s("Chills", "general", "43724002", "SSSSD", "NHS fever in adults",
      "shivering|shivers|shivery|feeling cold|rigors|cold shivers|hot and cold|chill|shaking with cold",
      care="Keep warm with layers you can take off, rest and drink plenty of fluids.",
      watch="a high temperature, shaking you cannot control, or feeling very unwell",
      danger="confusion, blotchy or blue-tinged skin, or difficulty breathing",
      review="3 days"),
    s("Sweating", "general", "", "SSSDD", "NHS excessive sweating",
      "sweats|sweaty|night sweats|clammy|cold sweat|cold sweats|perspiring|perspiration|excessive sweating|"
      "sweating a lot",
      care="Wear loose, breathable clothes, keep cool and drink water to replace lost fluid.",
      watch="night sweats that keep happening, weight loss you cannot explain, or a temperature",
      danger="chest pain, breathlessness or feeling faint",
      review="2 weeks"),
    s("Weight loss", "general", "89362005", "DDDDD", "NHS unexplained weight loss",
      "losing weight|unexplained weight loss|weight dropping|lost weight|losing weight without trying",
      care="Keep eating regular meals and note your weight once a week so you can show the change.",
      watch="weight loss together with night sweats, bowel changes, difficulty swallowing or bleeding",
      danger="vomiting blood, severe tummy pain or fainting"),
    s("Loss of appetite", "general", "79890006", "SSSDD", "NHS loss of appetite",
      "not hungry|no appetite|off my food|poor appetite|not eating|lost my appetite|appetite loss",
      care="Try small, frequent meals and keep drinking fluids even when you do not feel like eating.",
      watch="loss of appetite lasting more than 2 weeks, weight loss, or tummy pain",
      danger="being unable to keep fluids down, vomiting blood or severe tummy pain",
      review="2 weeks"),
    s("Drowsiness", "general", "", "SSDUE", "NHS sepsis",
      "sleepy|drowsy|very sleepy|hard to wake|difficult to wake|sluggish|can't stay awake|groggy",
      care="Rest, drink fluids, and check whether medicines, alcohol or poor sleep could explain it.",
      watch="drowsiness that is getting worse, a headache, or a temperature",
      danger="being very hard to wake, confusion, slurred speech or a seizure",
      review="a few days"),
    s("Swelling", "general", "65124004", "SSDDU", "NHS oedema",
      "swollen|swelling up|puffiness|puffy|swollen area|swollen hand|swollen face",
      care="Rest, raise the swollen part if you can, and use a cold pack wrapped in a towel for short "
           "spells.",
      watch="swelling that is hot, red or spreading, does not go down after a few days, or comes with a "
            "temperature",
      danger="swelling of the lips, tongue or throat, or difficulty breathing",
      review="3 days"),
    s("Weakness", "general", "", "SSDDU", "NHS stroke",
      "weak|feeling weak|muscle weakness|no strength|feeble|general weakness|weak all over",
      care="Rest, eat and drink regularly, and build activity back up gently.",
      watch="weakness that gets worse, lasts more than a week, or makes everyday tasks hard",
      danger="sudden weakness or numbness on one side, a drooping face or slurred speech"),
    s("Swollen glands", "general", "", "SSSDD", "NHS swollen glands",
      "swollen lymph nodes|lumps in neck|swollen neck glands|glands up|swollen lymph glands|swollen gland",
      care="Rest, drink fluids and take paracetamol or ibuprofen if they are sore; glands usually go down "
           "within 2 weeks.",
      watch="glands that stay swollen more than 2 weeks, feel hard or fixed, night sweats or weight loss",
      danger="difficulty breathing or swallowing",
      review="2 weeks"),
    # --- neurological -----------------------------------------------------------------------------------
    s("Confusion", "neurological", "286933003", "UEEEE", "NHS confusion (sudden)",
      "confused|disoriented|disorientated|muddled|not making sense|delirium|delirious|mixed up|"
      "can't think straight",
      danger="confusion getting worse, being hard to wake, slurred speech or a seizure"),
    s("Stiff neck", "neurological", "", "SSSDU", "NHS meningitis",
      "neck stiffness|neck is stiff|can't bend my neck|cannot bend my neck|can't touch chin to chest|"
      "rigid neck|stiff neck",
      care="Keep gently moving your neck, use a low firm pillow, and take paracetamol or ibuprofen if "
           "needed.",
      watch="stiffness that is not better in a week, or pain or tingling spreading down your arm",
      danger="a stiff neck with a temperature, headache, rash, being sick or dislike of bright light"),
    s("Numbness", "neurological", "44077006", "SDDUE", "NHS pins and needles",
      "numb|pins and needles|tingling|loss of feeling|no feeling|tingly|numbness and tingling",
      care="Change position and move around gently; numbness from sitting or lying awkwardly usually passes "
           "in minutes.",
      watch="numbness that keeps coming back, spreads, or does not go away",
      danger="sudden numbness or weakness on one side, a drooping face, slurred speech, or numbness around "
             "your bottom or genitals",
      review="a few days"),
    s("Slurred speech", "neurological", "", "EEEEE", "NHS stroke",
      "slurring words|slurring my words|speech slurred|slurred words|garbled speech|trouble speaking|"
      "difficulty speaking|can't speak properly|cannot get my words out"),
    s("Face drooping", "neurological", "", "EEEEE", "NHS stroke",
      "facial droop|face droop|drooping face|droopy face|face dropped|one side of face drooping|"
      "crooked smile|lopsided face"),
    s("One-sided weakness", "neurological", "", "EEEEE", "NHS stroke",
      "arm weakness|weak arm|weakness on one side|one side weak|can't lift my arm|cannot lift my arm|"
      "weak leg on one side|sudden weakness|one sided weakness"),
    s("Seizure", "neurological", "91175000", "UEEEE", "NHS epilepsy",
      "fit|fits|seizures|convulsion|convulsions|epileptic fit|had a fit|fitting",
      danger="a seizure lasting more than 5 minutes, one seizure after another, or not waking up afterwards"),
    s("Dizziness", "neurological", "404640003", "SSSDU", "NHS dizziness",
      "dizzy|lightheaded|light headed|feeling faint|woozy|unsteady|off balance|giddy|dizzy spells",
      care="Sit or lie down until it passes, get up slowly, and drink plenty of water.",
      watch="dizziness that keeps coming back, stops you doing daily tasks, or comes with hearing loss",
      danger="chest pain, slurred speech, weakness on one side, or fainting"),
    s("Vertigo", "neurological", "399153001", "SSDDU", "NHS vertigo",
      "spinning|room spinning|the room is spinning|spinning sensation|everything spinning",
      care="Lie still in a quiet, dark room, then move slowly; turn on the light if you get up at night.",
      watch="vertigo that keeps coming back, or comes with hearing loss or ringing in your ears",
      danger="slurred speech, double vision, weakness or numbness, or a sudden severe headache",
      review="a few days"),
    s("Memory problems", "neurological", "386807006", "SDDDD", "NHS memory loss",
      "forgetful|forgetfulness|memory loss|brain fog|can't remember|poor memory|losing my memory|"
      "memory problem",
      care="Use lists, reminders and a routine, and keep active and sociable.",
      watch="memory problems that are getting worse or worrying the people around you",
      danger="sudden confusion, slurred speech or weakness on one side",
      review="a few weeks"),
    s("Tremor", "neurological", "26079004", "SDDDD", "NHS tremor",
      "shaking|shaky hands|trembling|shakes|shaky|hand tremor",
      care="Cut down on caffeine and alcohol, and note when the shaking happens.",
      watch="shaking that is getting worse or makes daily tasks hard",
      danger="sudden confusion, slurred speech or weakness on one side",
      review="a few weeks"),
    s("Fainting", "neurological", "271594007", "DDUUE", "NHS fainting",
      "fainted|faint|passed out|blacked out|blackout|collapse|collapsed|syncope|fainting spell",
      care="Lie down with your legs raised until you feel better, then get up slowly and drink some water.",
      watch="fainting again, fainting during exercise, or palpitations",
      danger="chest pain, palpitations, breathlessness, not waking up within a minute, or a head injury"),
    # --- mental health ----------------------------------------------------------------------------------
    s("Anxiety", "mental_health", "48694002", "SSDDU", "NHS generalised anxiety disorder",
      "anxious|worry|worried|worrying all the time|nervous|nervousness|panic attack|panic attacks|"
      "panicking|on edge|stressed|stress",
      care="Try slow breathing, regular exercise and talking to someone you trust; free self-help guides "
           "can help too.",
      watch="anxiety that affects daily life, lasts more than a few weeks, or comes with low mood",
      danger="thoughts of harming yourself or ending your life",
      review="a few weeks",
      urgent=URGENT_MIND),
    s("Low mood", "mental_health", "366979004", "SSDDU", "NHS low mood and depression",
      "depression|depressed|feeling down|feeling low|sad|sadness|hopeless|low|down in the dumps",
      care="Keep to a routine, get outside and move each day, and talk to someone you trust.",
      watch="low mood that lasts more than 2 weeks or stops you enjoying things",
      danger="thoughts of harming yourself or ending your life",
      review="2 weeks",
      urgent=URGENT_MIND),
    s("Insomnia", "mental_health", "193462001", "SSSDD", "NHS insomnia",
      "can't sleep|cannot sleep|trouble sleeping|difficulty sleeping|sleeplessness|poor sleep|not sleeping|"
      "sleep problems|sleepless|waking up at night",
      care="Keep regular sleep times, avoid screens, caffeine and alcohol before bed, and keep the bedroom "
           "dark and quiet.",
      watch="sleep problems lasting more than a month or affecting your daytime life",
      danger="thoughts of harming yourself or ending your life",
      review="a month",
      urgent=URGENT_MIND),
    s("Hallucinations", "mental_health", "7011001", "DDUUE", "NHS psychosis",
      "seeing things|hearing voices|hearing things|seeing things that aren't there|hallucinating",
      care="Stay somewhere calm and familiar, and tell someone you trust what is happening.",
      watch="hallucinations that are getting more frequent or frightening",
      danger="confusion, a high temperature, or thoughts of harming yourself or others",
      urgent=URGENT_MIND),
    s("Suicidal thoughts", "mental_health", "6471006", "EEEEE", "NHS help for suicidal thoughts",
      "suicidal|suicidal feelings|thoughts of suicide|thinking about suicide|want to die|wanting to die|"
      "thoughts of ending my life|suicidal ideation"),
    s("Self-harm", "mental_health", "", "EEEEE", "NHS self-harm",
      "self harm|self-harming|self harming|hurting myself|harming myself|cutting myself|self injury|"
      "self-injury|hurt myself"),
    # --- eyes -------------------------------------------------------------------------------------------
    s("Eye pain", "eyes", "41652007", "SDDUU", "NHS sore eyes",
      "sore eye|sore eyes|painful eye|painful eyes|eye ache|pain in eye|pain in my eye|eye hurts|eyes hurt",
      care="Rest your eyes, avoid screens for a while, and do not wear contact lenses until it settles.",
      watch="pain that gets worse, redness, sensitivity to light or any change in your vision",
      danger="sudden loss of vision, severe pain with a headache and being sick, or a chemical in the eye",
      review="a few days",
      who="an optician or your GP",
      urgent=URGENT_EYE),
    s("Blurred vision", "eyes", "111516008", "DDUUE", "NHS blurred vision",
      "blurry vision|blurry eyes|fuzzy vision|vision blurred|blurred sight|blurry sight|double vision|"
      "can't see clearly|cannot see clearly|vision problems",
      care="Rest your eyes and avoid driving until your vision is clear.",
      watch="blurring that gets worse or comes with eye pain or headaches",
      danger="sudden loss of vision, a drooping face, slurred speech or weakness on one side",
      review="a few days",
      who="an optician or your GP",
      urgent=URGENT_EYE),
    s("Loss of vision", "eyes", "", "EEEEE", "NHS vision loss",
      "vision loss|sudden blindness|can't see|cannot see|lost my sight|sight loss|gone blind|going blind|"
      "sudden loss of vision"),
    s("Red eye", "eyes", "", "SSSDU", "NHS red eye",
      "bloodshot eye|bloodshot eyes|red eyes|pink eye|conjunctivitis|sore red eye",
      care="Clean your eyelids gently with cooled boiled water, and avoid contact lenses and eye make-up.",
      watch="pain, sensitivity to light, or any change in your vision",
      danger="sudden loss of vision, or severe pain with a headache and being sick",
      who="a pharmacist, optician or your GP",
      urgent=URGENT_EYE),
    s("Itchy eyes", "eyes", "", "SSSSD", "NHS hay fever",
      "itchy eye|eyes itching|watery eyes|watering eyes|streaming eyes|gritty eyes",
      care="Rinse your eyes with cool water, wear wraparound sunglasses outside, and ask a pharmacist about "
           "antihistamine drops.",
      watch="pain, redness that spreads, or any change in your vision",
      danger="swelling of the lips, tongue or throat, or difficulty breathing",
      review="2 weeks",
      who="a pharmacist or your GP",
      urgent=URGENT_EYE),
    # --- ear, nose and throat ---------------------------------------------------------------------------
    s("Earache", "ent", "16001004", "SSSDD", "NHS earache",
      "ear ache|ear pain|sore ear|painful ear|otalgia|ear hurts|ear infection|earpain",
      care="Take paracetamol or ibuprofen, and hold a warm or cold flannel against the ear.",
      watch="earache lasting more than 3 days, fluid coming out of the ear, hearing changes or a "
            "temperature",
      danger="a stiff neck, confusion, or swelling behind the ear with a high temperature",
      review="3 days"),
    s("Hearing loss", "ent", "15188001", "DDDUU", "NHS hearing loss",
      "can't hear|cannot hear|deafness|deaf|hard of hearing|muffled hearing|loss of hearing|"
      "lost my hearing",
      care="Do not put anything in your ear, and avoid loud noise until you have been checked.",
      watch="hearing loss that came on suddenly, or comes with dizziness or pain",
      danger="sudden weakness on one side, slurred speech or a severe headache"),
    s("Tinnitus", "ent", "60862001", "SSDDD", "NHS tinnitus",
      "ringing in ears|ringing in my ears|ringing ears|buzzing in ears|ear ringing|humming in ears",
      care="Try gentle background sound, relaxation and good sleep habits; tinnitus often fades over time.",
      watch="tinnitus in one ear only, a pulsing sound, or hearing loss or dizziness",
      danger="sudden weakness on one side, slurred speech or a severe headache",
      review="a few weeks"),
    s("Runny nose", "ent", "64531003", "SSSSD", "NHS common cold",
      "running nose|sniffles|snotty nose|snot|a cold|cold|common cold|head cold|nasal discharge|"
      "rhinorrhoea|rhinorrhea",
      care="Rest, drink plenty of fluids, and try steam or saline nose drops; a cold usually clears in 1 to "
           "2 weeks.",
      watch="symptoms lasting more than 3 weeks, a high temperature, or pain around your eyes or cheeks",
      danger="difficulty breathing or chest pain",
      review="3 weeks",
      who="a pharmacist or your GP"),
    s("Blocked nose", "ent", "68235000", "SSSSD", "NHS common cold",
      "stuffy nose|stuffed up nose|congested nose|nasal congestion|congestion|bunged up nose|stuffy|"
      "blocked up nose",
      care="Try steam, saline nose drops and sleeping with your head raised.",
      watch="symptoms lasting more than 3 weeks, pain around your eyes or cheeks, or a high temperature",
      danger="difficulty breathing or swelling around the eye",
      review="3 weeks",
      who="a pharmacist or your GP"),
    s("Sneezing", "ent", "76067001", "SSSSD", "NHS hay fever",
      "sneezes|sneezy|sneeze|hay fever|hayfever|allergies",
      care="Keep windows closed on high pollen days, shower after being outside, and ask a pharmacist about "
           "antihistamines.",
      watch="symptoms that do not improve with pharmacy treatment, or wheezing",
      danger="wheezing with swelling of the lips, tongue or throat, or difficulty breathing",
      review="2 weeks",
      who="a pharmacist or your GP"),
    s("Sinus pain", "ent", "", "SSSDD", "NHS sinusitis",
      "sinus pressure|sinusitis|sinus headache|facial pain|face pain|blocked sinuses",
      care="Rest, drink fluids, take paracetamol or ibuprofen, and hold a warm flannel over your face.",
      watch="symptoms lasting more than 10 days, severe pain, or symptoms that keep coming back",
      danger="swelling or redness around the eye, changes in vision, confusion or a stiff neck",
      review="10 days",
      who="a pharmacist or your GP"),
    s("Nosebleed", "ent", "249366005", "SSDUE", "NHS nosebleed",
      "nose bleed|nosebleeds|bloody nose|bleeding nose|nose bleeding|epistaxis",
      care="Sit up, lean forward and pinch the soft part of your nose for 10 to 15 minutes, breathing "
           "through your mouth.",
      watch="nosebleeds that keep coming back, or happen while taking blood thinners",
      danger="bleeding that lasts more than 15 minutes, heavy bleeding, or feeling faint",
      tip="Sit up, lean forward and keep pinching the soft part of your nose while you wait."),
    s("Sore throat", "ent", "162397003", "SSSDU", "NHS sore throat",
      "throat pain|painful throat|scratchy throat|throat hurts|sore throats|pharyngitis|tonsillitis|"
      "raw throat",
      care="Gargle with warm salty water, drink plenty of fluids, and take paracetamol or ibuprofen.",
      watch="a sore throat lasting more than a week, a high temperature, or trouble swallowing",
      danger="difficulty breathing, drooling because you cannot swallow, or a high-pitched noise when you "
             "breathe",
      who="a pharmacist or your GP"),
    s("Hoarse voice", "ent", "50219008", "SSSDD", "NHS laryngitis",
      "hoarseness|hoarse|lost my voice|loss of voice|croaky voice|raspy voice|laryngitis|croaky",
      care="Rest your voice, drink plenty of fluids, and avoid smoky places.",
      watch="hoarseness lasting more than 3 weeks, or pain or trouble swallowing",
      danger="difficulty breathing or swallowing",
      review="3 weeks"),
    s("Difficulty swallowing", "ent", "40739000", "DDUUE", "NHS swallowing problems (dysphagia)",
      "trouble swallowing|hard to swallow|painful swallowing|pain when swallowing|can't swallow|"
      "cannot swallow|dysphagia|food getting stuck|food sticking",
      care="Eat soft foods in small mouthfuls, sit upright to eat, and sip water between bites.",
      watch="swallowing that is getting harder, weight loss, or food coming back up",
      danger="being unable to swallow your saliva, drooling, or difficulty breathing",
      review="a few days"),
    s("Swollen lips", "ent", "", "DUUEE", "NHS anaphylaxis",
      "lip swelling|swelling of lips|swelling of the lips|puffy lips|lips swollen|swollen lip|"
      "swollen mouth",
      care="Stop anything new you have eaten, taken or put on your skin, and ask a pharmacist about an "
           "antihistamine.",
      watch="swelling that spreads or keeps coming back",
      danger="swelling of the tongue or throat, wheezing, difficulty breathing or swallowing, or feeling "
             "faint",
      review="a day"),
    s("Swollen tongue", "ent", "", "EEEEE", "NHS anaphylaxis",
      "tongue swelling|tongue swollen|swollen throat|throat swelling|throat swollen|tongue feels big",
      danger="difficulty breathing or swallowing, wheezing, or feeling faint"),
    # --- mouth ------------------------------------------------------------------------------------------
    s("Toothache", "mouth", "27355003", "SSDDU", "NHS toothache",
      "tooth ache|tooth pain|sore tooth|painful tooth|dental pain|teeth hurt|tooth hurts|toothpain",
      care="Take paracetamol or ibuprofen, avoid very hot, cold or sweet food, and brush gently.",
      watch="pain lasting more than 2 days, swelling in your face or jaw, or a temperature",
      danger="swelling spreading to your eye or neck, or difficulty breathing or swallowing",
      review="2 days",
      who="a dentist",
      urgent=URGENT_DENTAL),
    s("Mouth ulcers", "mouth", "", "SSSDD", "NHS mouth ulcers",
      "mouth ulcer|ulcers in mouth|canker sore|canker sores|mouth sores|sore in mouth",
      care="Use a soft toothbrush, avoid spicy or sharp foods, and ask a pharmacist about a soothing gel.",
      watch="an ulcer lasting more than 3 weeks, ulcers that keep coming back, or a red or white patch",
      danger="difficulty breathing or swallowing",
      review="3 weeks",
      who="a dentist or your GP"),
    # --- respiratory ------------------------------------------------------------------------------------
    s("Coughing up blood", "respiratory", "66857006", "UUUEE", "NHS coughing up blood",
      "coughing blood|blood when coughing|blood when i cough|haemoptysis|hemoptysis|blood in phlegm|"
      "blood in sputum|bloody phlegm|bloody sputum",
      danger="coughing up more than a few teaspoons of blood, breathlessness or chest pain"),
    s("Wheezing", "respiratory", "56018004", "DDUUE", "NHS wheezing",
      "wheeze|wheezy|whistling breath|whistling when breathing|tight wheezy chest",
      care="Sit upright, avoid smoke and known triggers, and use your reliever inhaler if you have one.",
      watch="wheezing that is getting worse, or needing your inhaler more often",
      danger="breathlessness that stops you speaking, blue or grey lips, or swelling of the lips or tongue",
      review="a few days"),
    # --- cardiovascular ---------------------------------------------------------------------------------
    s("Palpitations", "cardiovascular", "80313002", "DDDUE", "NHS heart palpitations",
      "heart racing|racing heart|pounding heart|heart pounding|fluttering heart|heart fluttering|"
      "heart flutters|irregular heartbeat|skipped heartbeats|skipping heartbeat|fast heartbeat|"
      "heart palpitations|heart beating fast",
      care="Sit down and breathe slowly, and cut down on caffeine, alcohol and nicotine.",
      watch="palpitations that last a long time, keep coming back or get worse",
      danger="chest pain, breathlessness, fainting or feeling very dizzy",
      review="a few days"),
    s("Swollen ankles", "cardiovascular", "", "SSDDU", "NHS swollen ankles, feet and legs (oedema)",
      "ankle swelling|swollen ankle|swollen feet|swollen legs|puffy ankles|fluid in legs|oedema|edema|"
      "water retention|leg swelling",
      care="Raise your legs when you sit, walk regularly, and avoid standing still for long periods.",
      watch="swelling that has not gone down after 3 days, or swelling in one leg only",
      danger="breathlessness, chest pain, or a painful, red, warm leg",
      review="3 days"),
    s("Leg pain", "cardiovascular", "", "SSSDU", "NHS deep vein thrombosis (DVT)",
      "sore leg|calf pain|painful leg|aching legs|leg ache|pain in calf|pain in my leg|sore calf|legs hurt",
      care="Rest, use a cold pack wrapped in a towel, and take paracetamol or ibuprofen if needed.",
      watch="a calf that is swollen, red or warm, or pain that is getting worse",
      danger="leg pain with breathlessness or chest pain",
      review="a few days"),
    # --- digestive --------------------------------------------------------------------------------------
    s("Vomiting", "digestive", "422400008", "SSSDU", "NHS diarrhoea and vomiting",
      "throwing up|being sick|vomit|vomited|puking|puke|retching|sick|threw up|been sick",
      care="Sip small amounts of water or rehydration drinks often, rest, and eat plain food when you can.",
      watch="vomiting for more than 2 days, being unable to keep fluids down, or signs of dehydration such "
            "as dark pee or peeing less",
      danger="vomiting blood, a stiff neck, severe tummy pain or confusion",
      review="2 days",
      who="your GP or a pharmacist"),
    s("Vomiting blood", "digestive", "8765009", "EEEEE", "NHS vomiting blood",
      "throwing up blood|blood in vomit|bloody vomit|haematemesis|hematemesis|coffee ground vomit|"
      "sick with blood"),
    s("Abdominal pain", "digestive", "21522001", "SSSUE", "NHS stomach ache",
      "tummy ache|tummy pain|stomach ache|stomachache|stomach pain|belly ache|bellyache|belly pain|"
      "abdominal cramps|stomach cramps|tummy cramps|sore stomach|sore tummy|abdo pain|abdominal ache|"
      "gut pain|tummy hurts|stomach hurts",
      care="Rest, use a hot water bottle, sip water, and take paracetamol rather than ibuprofen.",
      watch="pain that gets worse, keeps coming back, or comes with a temperature or being sick",
      danger="sudden severe pain, pain with fainting, vomiting blood, or a hard, swollen tummy",
      review="a few days"),
    s("Diarrhea", "digestive", "62315008", "SSSDU", "NHS diarrhoea and vomiting",
      "diarrhoea|diarhea|the runs|runs|loose stools|loose stool|loose poo|watery poo|runny poo|"
      "loose bowels",
      care="Drink plenty of fluids, use rehydration drinks if you feel dizzy or dry, and eat when you can.",
      watch="diarrhoea lasting more than 7 days, blood in your poo, or signs of dehydration such as dark "
            "pee",
      danger="severe tummy pain, black or bloody poo, or feeling faint",
      review="7 days",
      who="your GP or a pharmacist"),
    s("Blood in stool", "digestive", "405729008", "DDUUE", "NHS bleeding from the bottom",
      "blood in poo|bloody stool|bloody stools|blood in stools|rectal bleeding|bleeding from the bottom|"
      "bleeding from my bottom|black stools|black poo|black tarry stools|bloody poo|blood when wiping|"
      "blood on toilet paper",
      care="Drink plenty of water and eat fibre to keep your poo soft; note the colour and amount of blood.",
      watch="bleeding that keeps happening, dark or black poo, or changes in your bowel habits",
      danger="heavy bleeding, black or maroon poo with feeling faint, or severe tummy pain",
      review="a few days"),
    s("Heartburn", "digestive", "16331000", "SSSDD", "NHS heartburn and acid reflux",
      "acid reflux|reflux|indigestion|acid indigestion|heart burn|gerd|gord|acid stomach",
      care="Eat smaller meals, avoid food that triggers it, do not eat close to bedtime, and ask a "
           "pharmacist about antacids.",
      watch="heartburn most days for 3 weeks or more, weight loss, or trouble swallowing",
      danger="chest pain that spreads to your arm, jaw or back, or vomiting blood",
      review="3 weeks",
      who="a pharmacist or your GP"),
    s("Constipation", "digestive", "14760008", "SSSDD", "NHS constipation",
      "constipated|can't poo|cannot poo|hard stools|hard poo|bunged up|blocked up|not pooing",
      care="Drink plenty of water, add fibre such as fruit, vegetables and oats, and keep active.",
      watch="constipation that is not better with these changes, blood in your poo, or weight loss",
      danger="a swollen, painful tummy with being sick and being unable to pass wind",
      who="a pharmacist or your GP"),
    s("Bloating", "digestive", "248490000", "SSSDD", "NHS bloating",
      "bloated|swollen tummy|swollen belly|bloated stomach|bloated tummy|trapped wind|gassy|wind",
      care="Eat smaller meals slowly, cut down on fizzy drinks, and keep active.",
      watch="bloating most days for 3 weeks or more, weight loss, or blood in your poo",
      danger="a hard, painful tummy with being sick",
      review="3 weeks"),
    # --- urinary and reproductive -----------------------------------------------------------------------
    s("Burning urination", "urinary", "49650001", "DDDDD", "NHS urinary tract infections (UTIs)",
      "burning when peeing|burning when i pee|pain when peeing|painful urination|stinging when peeing|"
      "burning pee|burning urine|dysuria|cystitis|uti|urine infection|it burns when i pee|painful peeing|"
      "wee burns|burning wee|stinging wee|pain when weeing|it burns when i wee",
      care="Drink plenty of water and take paracetamol if you need it.",
      watch="a high temperature, pain in your back or side, or blood in your pee",
      danger="confusion, shivering with a high temperature, or being unable to pee",
      who="a pharmacist or your GP"),
    s("Blood in urine", "urinary", "34436003", "DDDDU", "NHS blood in urine",
      "blood in pee|bloody urine|bloody pee|pink urine|red urine|haematuria|hematuria|blood when peeing|"
      "peeing blood|blood in my pee|blood in wee|blood in my urine",
      care="Drink plenty of water and note when you see the blood.",
      watch="pain when peeing, a temperature, or pain in your back or side",
      danger="being unable to pee, or heavy bleeding with clots and feeling faint"),
    s("Frequent urination", "urinary", "", "SSDDD", "NHS urinary tract infections (UTIs)",
      "peeing a lot|need to pee often|urinating often|peeing more often|frequent peeing|peeing often|"
      "going to the toilet a lot|needing to pee|urinary frequency",
      care="Drink normally, cut down on caffeine, alcohol and fizzy drinks, and note how often you go.",
      watch="burning when you pee, being very thirsty, weight loss, or getting up many times at night",
      danger="confusion, vomiting, or a high temperature with back pain"),
    s("Loss of bladder control", "urinary", "165232002", "DDUUU", "NHS cauda equina syndrome",
      "incontinence|urinary incontinence|wetting myself|can't control my bladder|cannot control my bladder|"
      "bladder leakage|leaking urine|leaking pee|bladder control problems|wet myself",
      care="Note when it happens, and keep drinking normally rather than cutting down.",
      watch="any back pain, numbness around your bottom or genitals, or weakness in your legs",
      danger="back pain with numbness around your bottom or genitals, or weakness in both legs"),
    s("Testicle pain", "reproductive", "", "DDUEE", "NHS testicle pain",
      "testicular pain|sore testicle|sore testicles|pain in testicles|pain in my testicles|painful balls|"
      "sore balls|testicle ache|testicles hurt",
      care="Wear supportive underwear, rest, and take paracetamol if you need it.",
      watch="a lump, swelling, or pain that is getting worse",
      danger="sudden, very bad pain, or pain with being sick or tummy pain"),
    s("Period pain", "reproductive", "266599000", "SSSDD", "NHS period pain",
      "period cramps|menstrual cramps|menstrual pain|dysmenorrhoea|dysmenorrhea|painful periods",
      care="Use a heat pad or hot water bottle, keep gently active, and take ibuprofen or paracetamol.",
      watch="pain that is much worse than usual, bleeding between periods, or very heavy periods",
      danger="sudden severe tummy pain with fainting, or very heavy bleeding",
      review="a few cycles"),
    # --- musculoskeletal --------------------------------------------------------------------------------
    s("Joint pain", "musculoskeletal", "57676002", "SSSDD", "NHS joint pain",
      "sore joints|aching joints|painful joints|joint ache|arthralgia|joints hurt|achy joints",
      care="Rest the joint, use a cold pack wrapped in a towel, and take paracetamol or ibuprofen.",
      watch="a joint that is hot, swollen or red, pain lasting more than a few weeks, or a temperature",
      danger="a hot, swollen joint with a high temperature and feeling very unwell",
      review="2 weeks"),
    s("Muscle pain", "musculoskeletal", "68962001", "SSSDD", "NHS sprains and strains",
      "muscle ache|muscle aches|aching muscles|sore muscles|myalgia|body aches|aches and pains|achy|"
      "muscle cramps|cramp|pulled muscle|sprain|strain|sprained ankle|sprained wrist",
      care="Rest the muscle, use a cold pack in the first days, then gentle movement and simple "
           "painkillers.",
      watch="pain that is not improving after 2 weeks, or dark pee after hard exercise",
      danger="severe pain with dark pee, confusion or feeling very unwell",
      review="2 weeks"),
    s("Neck pain", "musculoskeletal", "81680005", "SSSDD", "NHS neck pain",
      "sore neck|neck ache|painful neck|cricked neck|crick in neck|neck hurts",
      care="Keep moving gently, use a low firm pillow, and take paracetamol or ibuprofen if needed.",
      watch="pain that is not better after a few weeks, or pins and needles in your arms",
      danger="neck pain with a temperature, headache and dislike of bright light",
      review="2 weeks"),
    s("Shoulder pain", "musculoskeletal", "45326000", "SSSDD", "NHS shoulder pain",
      "sore shoulder|painful shoulder|shoulder ache|frozen shoulder|shoulder hurts",
      care="Rest the shoulder but keep it gently moving, and use ice or heat and simple painkillers.",
      watch="pain that is not better after 2 weeks, or you cannot move your arm",
      danger="sudden shoulder or arm pain with chest pain or breathlessness",
      review="2 weeks"),
    s("Knee pain", "musculoskeletal", "30989003", "SSSDD", "NHS knee pain",
      "sore knee|painful knee|knee ache|bad knee|knee hurts",
      care="Rest, raise the leg, use a cold pack wrapped in a towel, and take simple painkillers.",
      watch="a knee that is hot, red or very swollen, gives way, or is not better after 2 weeks",
      danger="a hot, swollen knee with a high temperature and feeling very unwell",
      review="2 weeks"),
    # --- skin -------------------------------------------------------------------------------------------
    s("Rash", "skin", "271807003", "SSSDU", "NHS rashes",
      "skin rash|spots|red spots|blotches|blotchy skin|itchy rash|rashes|red rash|skin eruption|"
      "bumps on skin",
      care="Keep the skin cool, avoid anything that might have caused it, and use an unperfumed "
           "moisturiser.",
      watch="a rash that spreads, blisters, is painful, or comes with a temperature",
      danger="a rash that does not fade when you press a glass on it, or swelling of the lips or tongue",
      who="a pharmacist or your GP"),
    s("Hives", "skin", "126485001", "SSSDU", "NHS hives",
      "urticaria|nettle rash|welts|wheals|itchy bumps|itchy welts",
      care="Ask a pharmacist about antihistamines, keep cool, and avoid anything that seems to trigger it.",
      watch="hives lasting more than 2 days, coming back often, or spreading quickly",
      danger="swelling of the lips, tongue or throat, or difficulty breathing",
      review="2 days",
      who="a pharmacist or your GP"),
    s("Itching", "skin", "418290006", "SSSDD", "NHS itchy skin",
      "itchy|itchy skin|pruritus|itch|itchiness",
      care="Keep your skin cool and moisturised, use mild unperfumed soap, and try not to scratch.",
      watch="itching that lasts more than 2 weeks, keeps you awake, or affects your whole body",
      danger="swelling of the lips, tongue or throat, or difficulty breathing",
      review="2 weeks",
      who="a pharmacist or your GP"),
    s("Bruising", "skin", "", "SSDDD", "NHS bruises",
      "bruises|bruise easily|bruising easily|unexplained bruises|bruised|bruise",
      care="Rest, use a cold pack wrapped in a towel for short spells, and raise the bruised area.",
      watch="bruises you cannot explain, bruising that keeps happening, or bleeding gums or nosebleeds",
      danger="a head injury with drowsiness or being sick, or heavy bleeding",
      review="2 weeks"),
)
# fmt: on

# (rule id, requires, any of, level, reason, source); "Name:2" means that symptom at severity 2 or more.
# fmt: off
COMBINATIONS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("meningitis-fever-neck", "Fever:1|Stiff neck:1", "", "E",
     "A temperature together with a stiff neck can be a sign of meningitis, which needs emergency care.",
     "NHS meningitis"),
    ("meningitis-fever-rash-neck", "Fever:1|Rash:1|Stiff neck:1", "", "E",
     "A temperature, a rash and a stiff neck together can be signs of meningitis or sepsis.",
     "NHS meningitis"),
    ("meningitis-rash-neck", "Rash:1|Stiff neck:1", "", "E",
     "A rash together with a stiff neck can be a sign of meningitis.",
     "NHS meningitis"),
    ("meningitis-fever-rash", "Fever:2|Rash:1", "Headache:3|Vomiting:2|Drowsiness:2|Confusion:1", "E",
     "A temperature and a rash with a headache, being sick or drowsiness can be signs of meningitis.",
     "NHS meningitis"),
    ("meningitis-headache-neck-vomiting", "Headache:3|Stiff neck:2|Vomiting:2", "", "E",
     "A bad headache with a stiff neck and being sick needs emergency care.",
     "NHS meningitis"),
    ("headache-stiff-neck", "Headache:3|Stiff neck:2", "", "U",
     "A headache with a stiff neck should be checked by a doctor today.",
     "NHS headaches"),
    ("heart-chest-breath", "Chest pain:1|Shortness of breath:1", "", "E",
     "Chest pain with breathlessness can be a sign of a heart or lung emergency.",
     "NHS chest pain"),
    ("heart-chest-sweat-sick", "Chest pain:1", "Sweating:1|Nausea:1|Vomiting:1", "E",
     "Chest pain with sweating or feeling sick can be a sign of a heart attack.",
     "NHS heart attack"),
    ("heart-chest-faint", "Chest pain:1", "Dizziness:1|Fainting:1|Palpitations:1", "E",
     "Chest pain with dizziness, fainting or palpitations needs emergency care.",
     "NHS heart attack"),
    ("lung-chest-blood", "Chest pain:1|Coughing up blood:1", "", "E",
     "Chest pain with coughing up blood can be a sign of a clot in the lung.",
     "NHS pulmonary embolism"),
    ("headache-confusion", "Headache:1|Confusion:1", "", "E",
     "A headache with new confusion needs emergency care.",
     "NICE CKS headache assessment"),
    ("sepsis-fever-confusion", "Fever:1|Confusion:1", "", "E",
     "A temperature with confusion can be a sign of sepsis, which needs emergency care.",
     "NHS sepsis"),
    ("sepsis-fever-drowsy", "Fever:3|Drowsiness:4", "", "E",
     "A high temperature with being very sleepy or hard to wake can be a sign of sepsis.",
     "NHS sepsis"),
    ("sepsis-fever-breath", "Fever:3|Shortness of breath:1", "", "U",
     "A high temperature with breathlessness should be checked by a doctor today.",
     "NHS chest infection"),
    ("cauda-equina-back-bladder", "Back pain:1|Loss of bladder control:1", "", "E",
     "Back pain with loss of bladder control can mean pressure on the nerves at the base of the spine.",
     "NHS cauda equina syndrome"),
    ("cauda-equina-back-numb-bladder", "Back pain:1|Numbness:1|Loss of bladder control:1", "", "E",
     "Back pain with numbness and bladder problems needs emergency care.",
     "NHS cauda equina syndrome"),
    ("cauda-equina-numb-bladder", "Numbness:1|Loss of bladder control:1", "", "E",
     "Numbness with loss of bladder control needs emergency care.",
     "NHS cauda equina syndrome"),
    ("back-numbness", "Back pain:3|Numbness:2", "", "U",
     "Back pain with numbness or tingling should be checked by a doctor today.",
     "NHS back pain"),
    ("back-fever", "Back pain:3|Fever:3", "", "U",
     "Back pain with a high temperature should be checked by a doctor today.",
     "NHS back pain"),
    ("anaphylaxis-breath", "Shortness of breath:1", "Rash:1|Hives:1|Swollen lips:1|Swollen tongue:1", "E",
     "Breathing trouble with a rash or swelling can be a severe allergic reaction (anaphylaxis).",
     "NHS anaphylaxis"),
    ("anaphylaxis-wheeze", "Wheezing:1", "Hives:1|Swollen lips:1|Swollen tongue:1|Rash:2", "E",
     "Wheezing with swelling or a rash can be a severe allergic reaction (anaphylaxis).",
     "NHS anaphylaxis"),
    ("anaphylaxis-swallow", "Difficulty swallowing:1", "Swollen lips:1|Swollen tongue:1|Hives:2", "E",
     "Swelling with difficulty swallowing can be a severe allergic reaction.",
     "NHS anaphylaxis"),
    ("allergy-hives-lips", "Hives:1|Swollen lips:1", "", "U",
     "Hives with swollen lips should be checked today in case the swelling spreads.",
     "NHS angioedema"),
    ("stroke-speech", "Slurred speech:1",
     "Dizziness:1|Numbness:1|Weakness:1|Blurred vision:1|Headache:1", "E",
     "Slurred speech with other sudden symptoms can be a sign of a stroke.",
     "NHS stroke"),
    ("stroke-numb-vision", "Numbness:2", "Blurred vision:2|Loss of vision:1|Confusion:1", "E",
     "Sudden numbness with vision changes or confusion can be a sign of a stroke.",
     "NHS stroke"),
    ("stroke-numb-weak", "Numbness:3|Weakness:3", "", "E",
     "Sudden numbness with weakness can be a sign of a stroke.",
     "NHS stroke"),
    ("numb-dizzy", "Numbness:3|Dizziness:3", "", "U",
     "Numbness with dizziness should be checked by a doctor today.",
     "NHS pins and needles"),
    ("headache-numb", "Headache:3|Numbness:2", "", "U",
     "A headache with numbness should be checked by a doctor today.",
     "NICE CKS headache assessment"),
    ("headache-vision", "Headache:3|Blurred vision:2", "", "U",
     "A headache with blurred or double vision should be checked by a doctor today.",
     "NHS headaches"),
    ("headache-vomiting", "Headache:4|Vomiting:2", "", "U",
     "A severe headache with being sick should be checked by a doctor today.",
     "NHS headaches"),
    ("headache-drowsy", "Headache:3|Drowsiness:3", "", "U",
     "A headache with drowsiness should be checked by a doctor today.",
     "NHS headaches"),
    ("heart-failure-breath-ankles", "Shortness of breath:1|Swollen ankles:1", "", "U",
     "Breathlessness with swollen ankles can be a sign of a heart problem and should be checked today.",
     "NHS heart failure"),
    ("dvt-leg-breath", "Leg pain:2", "Shortness of breath:1|Chest pain:1|Coughing up blood:1", "E",
     "Leg pain with breathlessness or chest pain can be a sign of a blood clot that has moved to the lung.",
     "NHS deep vein thrombosis (DVT)"),
    ("kidney-urine-fever", "Burning urination:1|Fever:3", "", "U",
     "Burning when you pee with a high temperature can mean a kidney infection.",
     "NHS kidney infection"),
    ("kidney-urine-fever-back", "Burning urination:1|Fever:1|Back pain:2", "", "U",
     "Urine symptoms with a temperature and back or side pain can mean a kidney infection.",
     "NHS kidney infection"),
    ("eye-pain-vision", "Eye pain:2|Blurred vision:2", "", "U",
     "A painful eye with blurred vision needs same-day eye care.",
     "NHS eye pain"),
    ("eye-red-pain", "Red eye:1|Eye pain:3", "", "U",
     "A red eye that is painful needs same-day eye care.",
     "NHS red eye"),
    ("eye-red-vision", "Red eye:1|Blurred vision:2", "", "U",
     "A red eye with changes in vision needs same-day eye care.",
     "NHS red eye"),
    ("glaucoma-eye-headache-sick", "Eye pain:3|Headache:3", "Nausea:2|Vomiting:1", "E",
     "A painful eye with a headache and feeling sick needs emergency eye care.",
     "NHS glaucoma"),
    ("abdomen-severe-fever-vomiting", "Abdominal pain:4", "Fever:1|Vomiting:1", "U",
     "Severe tummy pain with a temperature or being sick should be checked by a doctor today.",
     "NHS appendicitis"),
    ("abdomen-fever-vomiting", "Abdominal pain:3|Fever:3|Vomiting:3", "", "U",
     "Tummy pain with a temperature and being sick should be checked by a doctor today.",
     "NHS appendicitis"),
    ("abdomen-blood", "Abdominal pain:3|Blood in stool:1", "", "U",
     "Tummy pain with blood in your poo should be checked by a doctor today.",
     "NHS stomach ache"),
    ("abdomen-fainting", "Abdominal pain:3|Fainting:1", "", "E",
     "Tummy pain with fainting can mean internal bleeding and needs emergency care.",
     "NHS stomach ache"),
    ("bowel-obstruction", "Constipation:4|Vomiting:3", "Abdominal pain:3|Bloating:3", "E",
     "Being unable to poo with being sick and a painful or swollen tummy can mean a blocked bowel.",
     "NHS bowel obstruction"),
    ("diarrhoea-blood", "Diarrhea:1|Blood in stool:1", "", "U",
     "Diarrhoea with blood should be checked by a doctor today.",
     "NHS diarrhoea and vomiting"),
    ("dehydration-vomiting-diarrhoea", "Vomiting:4|Diarrhea:4", "", "U",
     "Severe vomiting and diarrhoea together can quickly cause dehydration.",
     "NHS diarrhoea and vomiting"),
    ("septic-arthritis", "Joint pain:2|Swelling:2|Fever:2", "", "U",
     "A painful, swollen joint with a temperature can mean an infected joint and needs care today.",
     "NHS septic arthritis"),
    ("joint-swelling", "Joint pain:3|Swelling:3", "", "D",
     "A painful, swollen joint is worth seeing a doctor about.",
     "NHS joint pain"),
    ("throat-swallowing", "Sore throat:3|Difficulty swallowing:3", "", "U",
     "A bad sore throat with difficulty swallowing should be checked by a doctor today.",
     "NHS sore throat"),
    ("airway-swallow-breath", "Difficulty swallowing:1|Shortness of breath:1", "", "E",
     "Difficulty swallowing with breathing trouble needs emergency care.",
     "NHS swallowing problems"),
    ("fever-rash", "Fever:3|Rash:1", "", "U",
     "A high temperature with a rash should be checked by a doctor today.",
     "NHS rashes"),
    ("lung-blood-breath", "Coughing up blood:1|Shortness of breath:1", "", "E",
     "Coughing up blood with breathlessness needs emergency care.",
     "NHS coughing up blood"),
    ("heart-palpitations-faint-breath", "Palpitations:1", "Fainting:1|Shortness of breath:1", "E",
     "Palpitations with fainting or breathlessness need emergency care.",
     "NHS heart palpitations"),
    ("heart-palpitations-dizzy", "Palpitations:1|Dizziness:3", "", "U",
     "Palpitations with dizziness should be checked by a doctor today.",
     "NHS heart palpitations"),
    ("heart-faint-breath", "Fainting:1|Shortness of breath:1", "", "E",
     "Fainting with breathlessness needs emergency care.",
     "NHS fainting"),
    ("asthma-breath-wheeze", "Shortness of breath:2|Wheezing:2", "", "U",
     "Breathlessness with wheezing should be checked by a doctor today.",
     "NHS asthma attack"),
    ("ear-fever", "Earache:2|Fever:3", "", "D",
     "Earache with a temperature is worth seeing a doctor about.",
     "NHS earache"),
    ("tooth-swelling-fever", "Toothache:2", "Swelling:2|Fever:3", "U",
     "Toothache with swelling or a temperature needs an urgent dental appointment.",
     "NHS dental abscess"),
    ("tooth-swelling-airway", "Toothache:1|Swelling:1",
     "Difficulty swallowing:1|Shortness of breath:1", "E",
     "Tooth pain with swelling and trouble swallowing or breathing needs emergency care.",
     "NHS dental abscess"),
    ("testicle-sick", "Testicle pain:3", "Vomiting:1|Nausea:2|Abdominal pain:2", "E",
     "Testicle pain with feeling sick or tummy pain needs emergency care.",
     "NHS testicle pain"),
    ("fever-hallucinations", "Fever:2|Hallucinations:1", "", "U",
     "Seeing or hearing things with a temperature should be checked by a doctor today.",
     "NHS sepsis"),
)
# fmt: on

# fmt: off
PHRASE_GROUPS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("emergency", "NHS shortness of breath",
     "Breathing trouble this bad is an emergency. Call emergency services now. Sit upright, loosen tight "
     "clothing, and use your reliever inhaler if you have one.",
     ("can't breathe", "cannot breathe", "can not breathe", "unable to breathe", "struggling to breathe",
      "not breathing", "stopped breathing", "gasping for air", "choking", "blue lips",
      "lips turning blue", "lips are blue")),
    ("emergency", "NHS heart attack",
     "Chest pain like this can be a sign of a heart attack. Call emergency services now. Sit down, rest, "
     "and unlock the door if you are alone.",
     ("crushing chest pain", "crushing pain", "chest pain spreading", "pain spreading to my arm",
      "pain down my left arm", "pain down my arm", "chest pain and sweating", "elephant on my chest",
      "having a heart attack", "heart attack")),
    ("emergency", "NHS subarachnoid haemorrhage",
     "A sudden, very severe headache needs emergency care. Call emergency services now.",
     ("worst headache of my life", "worst headache ever", "worst headache i have ever had",
      "thunderclap headache", "sudden severe headache", "headache came on suddenly")),
    ("emergency", "NHS stroke",
     "Face, arm or speech changes can be signs of a stroke. Call emergency services now and note the time "
     "the symptoms started.",
     ("face drooping", "face is drooping", "face droop", "drooping face", "face has dropped",
      "can't lift my arm", "cannot lift my arm", "can't lift both arms", "slurred speech",
      "slurring my words", "can't speak properly", "cannot speak properly", "having a stroke")),
    ("emergency", "NHS first aid: unconscious",
     "Someone who is unconscious or will not wake needs emergency care. Call emergency services now and put "
     "them on their side if they are breathing.",
     ("unconscious", "won't wake up", "will not wake up", "can't wake", "cannot wake", "unresponsive",
      "not responding")),
    ("emergency", "NHS epilepsy",
     "A seizure that will not stop, or one seizure after another, is an emergency. Call emergency services "
     "now. Move things away from the person and do not put anything in their mouth.",
     ("seizure won't stop", "fit won't stop", "seizure will not stop", "seizure lasting",
      "another seizure", "keeps having seizures")),
    ("emergency", "NHS vomiting blood",
     "Heavy bleeding or bringing up blood needs emergency care. Call emergency services now.",
     ("vomiting blood", "throwing up blood", "coughing up lots of blood", "bleeding heavily",
      "heavy bleeding", "bleeding won't stop", "won't stop bleeding", "can't stop the bleeding")),
    ("emergency", "NHS anaphylaxis",
     "Swelling of the throat or tongue can be a severe allergic reaction. Call emergency services now and "
     "use your adrenaline auto-injector if you have one.",
     ("throat closing", "throat is closing", "throat is swelling", "tongue swelling",
      "tongue is swelling", "swollen tongue", "anaphylaxis", "anaphylactic")),
    ("emergency", "NHS meningitis",
     "A rash that does not fade under a glass can be a sign of meningitis or sepsis. Call emergency "
     "services now.",
     ("rash that doesn't fade", "rash does not fade", "rash won't fade", "rash doesn't fade",
      "non blanching rash")),
    ("emergency", "NHS poisoning",
     "Taking too much of a medicine or swallowing something poisonous needs emergency care. Call emergency "
     "services now and keep the packet to show them.",
     ("overdose", "took too many pills", "taken too many tablets", "took too many tablets", "poisoned",
      "swallowed bleach")),
    ("emergency", "NHS vision loss",
     "Sudden loss of sight needs emergency care. Call emergency services or go to the emergency department "
     "now.",
     ("sudden blindness", "lost my sight", "suddenly can't see", "gone blind")),
    ("crisis", "NHS help for suicidal thoughts",
     "You do not have to cope with this alone. If you might act on these thoughts or have hurt yourself, "
     "call emergency services now or go to the emergency department. You can also talk to a crisis line at "
     "any time, day or night. If you can, stay with someone you trust.",
     ("suicidal", "suicide", "kill myself", "killing myself", "end my life", "ending my life",
      "want to end my life", "end it all", "want to die", "don't want to live", "don't want to be alive",
      "better off dead", "no reason to live", "take my own life", "self harm", "self-harm",
      "self harming", "selfharm", "hurt myself", "hurting myself", "harm myself", "harming myself",
      "cutting myself", "hang myself")),
)
# fmt: on

FALLBACK = (
    (1, "S", "We did not recognise this symptom; at 1 of 5 it can usually be watched at home."),
    (2, "S", "We did not recognise this symptom; at 2 of 5 it can usually be watched at home."),
    (3, "D", "We did not recognise this symptom; at 3 of 5 it is worth seeing a doctor about."),
    (4, "U", "We did not recognise this symptom; at 4 of 5 it should be checked by a doctor today."),
    (5, "U", "We did not recognise this symptom; at 5 of 5 it should be checked by a doctor today."),
)

GENERIC_ADVICE = {
    "S": "Rest, drink plenty of fluids, and use simple painkillers if you need them, following the leaflet. "
    "Watch for the symptom getting worse, new symptoms, or it lasting more than a week. If you are worried, "
    "contact a pharmacist or your GP.",
    "D": "Book an appointment with your GP in the next few days, and note how long this has been going on "
    "and what makes it better or worse. Get help the same day if it gets worse quickly or new symptoms "
    "appear.",
    "U": f"Get medical help today: contact {URGENT_GP}. Call emergency services if you notice difficulty "
    "breathing, chest pain, confusion or fainting.",
    "E": "Call emergency services now, or go to the nearest emergency department if you can get there "
    "safely. Do not drive yourself. If you are alone, unlock the door and keep your phone with you.",
}

# The original app's table (Symptom, Severity Level, Recommendation), as a small sample for the importer.
ORIGINAL_ROWS = (
    ("Headache", "Mild", "Rest in a quiet, dark room and drink water. Simple painkillers can help."),
    ("Fatigue", "Mild", "Keep regular sleep hours and take short breaks through the day."),
    ("Nausea", "Moderate", "Sip cold water and eat small, plain meals until it settles."),
    ("Cough", "Mild", "Drink warm fluids; honey and lemon can soothe the throat."),
    ("Back pain", "Moderate", "Stay gently active and use heat on the sore area."),
    ("Fever", "Mild", "Rest, drink plenty of fluids and keep the room cool."),
    ("Shortness of breath", "Severe", "Call emergency services now if breathing is very hard."),
    ("Chest pain", "Severe", "Call emergency services now."),
)


def levels_of(symptom: Symptom) -> tuple[TriageLevel, ...]:
    return tuple(LEVEL_CODES[code] for code in symptom.levels)


def first_severity(levels: tuple[TriageLevel, ...], level: TriageLevel) -> int | None:
    """Return the lowest severity whose level is at least `level` (None when never)."""
    return next((i + 1 for i, at in enumerate(levels) if at.rank >= level.rank), None)


def symptoms_frame() -> pd.DataFrame:
    rows = []
    for symptom in SYMPTOMS:
        levels = levels_of(symptom)
        rows.append(
            {
                "symptom": symptom.name,
                "synonyms": symptom.synonyms,
                "body_system": symptom.system,
                "snomed_code": symptom.snomed,
                "see_doctor_from": first_severity(levels, TriageLevel.SEE_DOCTOR),
                "urgent_from": first_severity(levels, TriageLevel.URGENT),
                "emergency_from": first_severity(levels, TriageLevel.EMERGENCY),
                "source": symptom.source,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS["symptoms"])


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def advice_text(symptom: Symptom, level: TriageLevel) -> str:
    """Return the advice for `symptom` at `level`: what to do, what to watch for, when to escalate."""
    if level is TriageLevel.SELF_CARE:
        return (
            f"{symptom.care} Watch for {symptom.watch}. If it is not better within {symptom.review}, "
            f"or you are worried, contact {symptom.who}."
        )
    if level is TriageLevel.SEE_DOCTOR:
        return (
            f"Book an appointment with {symptom.who} in the next few days. Until then: "
            f"{lower_first(symptom.care)} Get help the same day if you notice {symptom.watch}."
        )
    if level is TriageLevel.URGENT:
        return (
            f"Get medical help today: contact {symptom.urgent}. Call emergency services if you notice "
            f"{symptom.danger}."
        )
    tip = symptom.tip or TIPS[symptom.system]
    return (
        f"Call emergency services now, or go to the nearest emergency department if you can get there "
        f"safely. Do not drive yourself. {tip}"
    )


def advice_frame() -> pd.DataFrame:
    """Return advice for every symptom at every level from its mildest level up to emergency."""
    rows = []
    for symptom in SYMPTOMS:
        lowest = levels_of(symptom)[0]
        for level in TriageLevel:
            if level.rank >= lowest.rank:
                rows.append((symptom.name, str(level), advice_text(symptom, level), symptom.source))
    for code, text in GENERIC_ADVICE.items():
        rows.append((GENERIC_SYMPTOM, str(LEVEL_CODES[code]), text, "NHS 111 (general guidance)"))
    return pd.DataFrame(rows, columns=COLUMNS["advice"])


def combinations_frame() -> pd.DataFrame:
    rows = [
        (rid, req, any_of, str(LEVEL_CODES[code]), reason, source)
        for rid, req, any_of, code, reason, source in COMBINATIONS
    ]
    return pd.DataFrame(rows, columns=COLUMNS["combinations"])


def phrases_frame() -> pd.DataFrame:
    rows = [
        (phrase, kind, str(TriageLevel.EMERGENCY), wording, source)
        for kind, source, wording, phrases in PHRASE_GROUPS
        for phrase in phrases
    ]
    return pd.DataFrame(rows, columns=COLUMNS["phrases"])


def fallback_frame() -> pd.DataFrame:
    rows = [(severity, str(LEVEL_CODES[code]), reason) for severity, code, reason in FALLBACK]
    return pd.DataFrame(rows, columns=COLUMNS["fallback"])


# --- training rows -----------------------------------------------------------------------------------
CONTEXT_VARIANTS = (
    (2, 0, False),
    (2, 1, False),
    (3, 0, False),
    (4, -1, False),
    (5, 1, False),
    (1, 2, False),
    (2, 3, False),
    (1, None, True),
    (2, -1, True),
    (6, 0, False),
    (1, 1, False),
    (2, -2, False),
)


@dataclass(frozen=True)
class Row:
    pairs: tuple[tuple[str, int], ...]
    days: int = 1
    change: int | None = None
    recurrent: bool = False
    group: str = ""
    source: str = ""


def label(rules: SafetyRules, row: Row) -> TriageLevel:
    """Return the guidance level of a training row (its context belongs to its first symptom)."""
    severities = dict(row.pairs)
    first = row.pairs[0][0]
    context = {first: SymptomContext(row.days, row.change, row.recurrent)}
    return rules.guidance_level(severities, context)


def level_sources(rules: SafetyRules, row: Row, level: TriageLevel) -> str:
    """Return the guidance behind a mixed row: the sources of the symptoms that reach its level."""
    sources = [
        rules.symptoms[name].source for name, sev in row.pairs if rules.symptoms[name].level_at(sev) is level
    ]
    return "; ".join(dict.fromkeys(sources)) or "NHS (several symptoms: the most urgent one decides)"


def single_rows(rng: random.Random) -> list[Row]:
    rows = []
    for symptom in SYMPTOMS:
        for severity in range(1, 6):
            pairs = ((symptom.name, severity),)
            rows.append(Row(pairs, group="single", source=symptom.source))
            for days, change, recurrent in rng.sample(CONTEXT_VARIANTS, 2):
                rows.append(Row(pairs, days, change, recurrent, "single+context", symptom.source))
    return rows


def noise_pool() -> list[str]:
    """Symptoms that are self care at severity 2: harmless company for a main symptom."""
    return [sym.name for sym in SYMPTOMS if sym.levels[1] == "S"]


def with_noise(rng: random.Random, pairs: list[tuple[str, int]], pool: list[str], most: int) -> list:
    taken = {name for name, _ in pairs}
    extra = [name for name in rng.sample(pool, most + 3) if name not in taken][: rng.randint(0, most)]
    return pairs + [(name, rng.randint(1, 2)) for name in extra]


def noisy_single_rows(rng: random.Random, pool: list[str]) -> list[Row]:
    rows = []
    for symptom in SYMPTOMS:
        for severity in range(1, 6):
            pairs = with_noise(rng, [(symptom.name, severity)], pool, 2)
            if len(pairs) > 1:
                rows.append(Row(tuple(pairs), group="single+noise", source=symptom.source))
    return rows


def combination_rows(rng: random.Random, rules: SafetyRules, pool: list[str]) -> list[Row]:
    """Return rows that meet each combination rule, and near misses that fall just short of it."""
    rows = []
    for rule in rules.combinations:
        for _ in range(8):
            pairs = [(name, rng.randint(low, 5)) for name, low in rule.requires]
            if rule.any_of:
                name, low = rng.choice(rule.any_of)
                pairs.append((name, rng.randint(low, 5)))
            pairs = with_noise(rng, pairs, [n for n in pool if n not in dict(pairs)], 2)
            rows.append(Row(tuple(pairs), group="combination", source=rule.source))
        members = list(rule.requires) + ([rng.choice(rule.any_of)] if rule.any_of else [])
        for dropped in range(len(members)):
            kept = [(name, rng.randint(low, 5)) for i, (name, low) in enumerate(members) if i != dropped]
            if kept:
                rows.append(Row(tuple(kept), group="near-miss", source=rule.source))
        for lowered, (_, floor) in enumerate(members):
            if floor > 1:
                pairs = [
                    (name, low - 1 if i == lowered else rng.randint(low, 5))
                    for i, (name, low) in enumerate(members)
                ]
                rows.append(Row(tuple(pairs), group="near-miss", source=rule.source))
    return rows


def mixed_rows(rng: random.Random, count: int) -> list[Row]:
    names = [symptom.name for symptom in SYMPTOMS]
    rows = []
    for _ in range(count):
        chosen = rng.sample(names, rng.randint(2, 4))
        pairs = tuple((name, rng.choices(range(1, 6), weights=(3, 3, 3, 2, 1))[0]) for name in chosen)
        days, change, recurrent = rng.choice(CONTEXT_VARIANTS) if rng.random() < 0.3 else (1, None, False)
        rows.append(Row(pairs, days, change, recurrent, "mixed"))
    return rows


def held_out_keys(paths: list[Path], vocabulary: Vocabulary) -> set[frozenset[tuple[str, int]]]:
    """Return the check-ins (canonical name, severity) of the held-out case files."""
    keys = set()
    for path in paths:
        for text in pd.read_csv(path, dtype=str)["symptoms"]:
            pairs = parse_symptom_pairs(text)
            keys.add(frozenset((vocabulary.canonical_or_text(name), sev) for name, sev in pairs))
    return keys


def training_frame(rules: SafetyRules, vocabulary: Vocabulary, held_out: list[Path]) -> pd.DataFrame:
    rng = random.Random(SEED)
    pool = noise_pool()
    rows = single_rows(rng) + noisy_single_rows(rng, pool)
    rows += combination_rows(rng, rules, pool) + mixed_rows(rng, 700)
    excluded = held_out_keys(held_out, vocabulary)
    records, seen = [], set()
    for row in rows:
        key = frozenset(row.pairs)
        identity = (key, row.days, row.change, row.recurrent)
        if key in excluded or identity in seen or len(key) != len(row.pairs):
            continue
        seen.add(identity)
        level = label(rules, row)
        source = row.source or level_sources(rules, row, level)
        records.append(
            (
                format_symptom_pairs(row.pairs),
                row.days,
                row.change,
                row.recurrent,
                str(level),
                row.group,
                source,
            )
        )
    return pd.DataFrame(records, columns=COLUMNS["training"]).astype({"change": "Int64"})


def about_frame() -> pd.DataFrame:
    rows = [
        (
            "symptoms",
            "One row per canonical symptom: lay synonyms ('|'-separated), body system, SNOMED CT "
            "concept id where known, and the red-flag thresholds: the severity from which the symptom needs "
            "at least see_doctor, urgent or emergency (blank: never on its own).",
        ),
        ("advice", "Advice text per symptom and level; symptom '*' is the fallback for anything else."),
        (
            "combinations",
            "Red-flag combinations: every 'requires' symptom at or above its severity, plus "
            "at least one 'any_of' symptom when given, raise the level to at least 'level'.",
        ),
        (
            "phrases",
            "Wording in typed symptoms or the note that goes straight to emergency; kind 'crisis' "
            "also shows the crisis line.",
        ),
        ("fallback", "Level by severity for symptoms the vocabulary does not recognise."),
        (
            "training",
            "Generated, labelled check-ins for the model; days_in_row, change and recurrent "
            "describe the first symptom of the row. Held-out evaluation cases are excluded.",
        ),
    ]
    return pd.DataFrame(rows, columns=["sheet", "contents"])


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Write `sheets` to `path` byte-for-byte reproducibly (fixed document and zip timestamps)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
        writer.book.properties.created = FIXED_TIME
        writer.book.properties.modified = FIXED_TIME
        writer.book.properties.creator = "data/build_knowledge.py"
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda item: item.filename):
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def build(out: Path = OUT_FILE, held_out: list[Path] | None = None) -> Knowledge:
    """Build, validate and write the knowledge workbook; return it."""
    held_out = [p for p in (held_out if held_out is not None else [DEFAULT_HELD_OUT]) if p.is_file()]
    tables = {
        "symptoms": symptoms_frame(),
        "advice": advice_frame(),
        "combinations": combinations_frame(),
        "phrases": phrases_frame(),
        "fallback": fallback_frame(),
    }
    partial = Knowledge(**tables, training=pd.DataFrame(columns=COLUMNS["training"]))
    rules = SafetyRules.from_knowledge(partial)
    vocabulary = Vocabulary.from_frame(tables["symptoms"])
    tables["training"] = training_frame(rules, vocabulary, held_out)
    knowledge = Knowledge(**tables)
    validate_knowledge(knowledge)
    write_workbook({**tables, "about": about_frame()}, out)
    print(
        f"Wrote {out} ({len(tables['symptoms'])} symptoms, {len(tables['training'])} training rows; "
        f"held out: {', '.join(p.name for p in held_out) or 'none'})"
    )
    return knowledge


def write_original_sample(path: Path = ORIGINAL_SAMPLE) -> None:
    frame = pd.DataFrame(ORIGINAL_ROWS, columns=["Symptom", "Severity Level", "Recommendation"])
    write_workbook({"Sheet1": frame}, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_FILE, help="workbook to write")
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        metavar="CASES.csv",
        help="held-out case file whose check-ins must not appear in training (repeatable; "
        "default: the shared dev cases when present)",
    )
    args = parser.parse_args(argv)
    build(args.out, args.exclude)
    write_original_sample()
    return 0


if __name__ == "__main__":
    sys.exit(main())
