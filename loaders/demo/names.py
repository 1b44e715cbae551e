"""Who lives in the demo place: nationalities with their languages, immigration
statuses and name pools.

Every person is fictional: given and family names are drawn independently, so a
combination that matches a real person does so by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ASYLUM_SEEKER", "NATIONALITIES", "Nationality", "has_right_to_work"]

ASYLUM_SEEKER = "asylum seeker"
REFUGEE = "refugee status"
HUMANITARIAN = "humanitarian protection"
CITIZEN = "British citizen"
FAMILY = "family visa"
DEPENDANT = "Skilled Worker dependant visa"
EU_SETTLED = "EU settled status"
EU_PRE_SETTLED = "EU pre-settled status"


def has_right_to_work(status: str) -> bool:
    # Asylum seekers usually may not work while their claim is decided.
    return status != ASYLUM_SEEKER


@dataclass(frozen=True)
class Nationality:
    name: str
    country: str  # ISO 3166 alpha-2, lower case: keys the qualifications
    weight: int
    languages: tuple[str, ...]  # ISO 639 codes other than English, main one first
    english_default: str  # CEFR level when no IELTS score is known
    statuses: tuple[tuple[str, int], ...]
    given: tuple[str, ...]
    family: tuple[str, ...]


NATIONALITIES: tuple[Nationality, ...] = (
    Nationality(
        "Syrian", "sy", 10, ("ar", "ku"), "A2",
        ((REFUGEE, 7), (ASYLUM_SEEKER, 2), (CITIZEN, 1)),
        ("Amina", "Omar", "Rania", "Khaled", "Lina", "Yusuf", "Hala", "Tarek", "Nour", "Bassel"),
        ("Haddad", "Al-Masri", "Khoury", "Darwish", "Shami", "Halabi", "Nasser", "Sabbagh"),
    ),
    Nationality(
        "Afghan", "af", 8, ("fa", "ps"), "A2",
        (("Afghan resettlement scheme", 5), (ASYLUM_SEEKER, 3), (REFUGEE, 2)),
        ("Farid", "Mariam", "Ahmad", "Zahra", "Habib", "Parwana", "Nasir", "Fereshta"),
        ("Rahimi", "Karimi", "Hakimi", "Sultani", "Noori", "Ahmadzai", "Sadat", "Wardak"),
    ),
    Nationality(
        "Sudanese", "sd", 6, ("ar",), "B1",
        ((REFUGEE, 4), (ASYLUM_SEEKER, 3)),
        ("Mohamed", "Fatima", "Osman", "Samia", "Abdelrahman", "Hiba", "Ibrahim", "Marwa"),
        ("Elamin", "Abdalla", "Osman", "Elhassan", "Mustafa", "Babiker", "Ahmed", "Idris"),
    ),
    Nationality(
        "Eritrean", "er", 5, ("ti", "ar"), "A2",
        ((REFUGEE, 4), (ASYLUM_SEEKER, 3)),
        ("Senait", "Yonas", "Helen", "Tesfay", "Mehret", "Dawit", "Selam", "Filmon"),
        ("Tesfamariam", "Ghebre", "Haile", "Berhane", "Kidane", "Woldu", "Negash", "Abraha"),
    ),
    Nationality(
        "Iranian", "ir", 5, ("fa",), "B1",
        ((REFUGEE, 3), (ASYLUM_SEEKER, 2), (DEPENDANT, 1)),
        ("Shirin", "Reza", "Parisa", "Babak", "Leila", "Kaveh", "Nasrin", "Arash"),
        ("Tehrani", "Moradi", "Rostami", "Jafari", "Sadeghi", "Kazemi", "Mousavi", "Ebrahimi"),
    ),
    Nationality(
        "Iraqi", "iq", 4, ("ar", "ku"), "A2",
        ((REFUGEE, 3), (ASYLUM_SEEKER, 2), (CITIZEN, 1)),
        ("Zainab", "Ali", "Noor", "Haider", "Sura", "Mustafa", "Rasha", "Karrar"),
        ("Al-Jubouri", "Hussein", "Kadhim", "Al-Rubaie", "Jaber", "Salih", "Aziz", "Hamid"),
    ),
    Nationality(
        "Yemeni", "ye", 3, ("ar",), "A2",
        ((REFUGEE, 3), (ASYLUM_SEEKER, 2)),
        ("Abdullah", "Arwa", "Hamza", "Bushra", "Saleh", "Afrah", "Nabil", "Samar"),
        ("Al-Hakimi", "Saeed", "Qasem", "Al-Aghbari", "Naji", "Obaid", "Mansour", "Shamsan"),
    ),
    Nationality(
        "Somali", "so", 3, ("so", "ar"), "B1",
        ((CITIZEN, 2), (REFUGEE, 2)),
        ("Hodan", "Abdi", "Ayaan", "Mahad", "Idil", "Liban", "Sagal", "Warsame"),
        ("Farah", "Warsame", "Hassan", "Jama", "Ali", "Aden", "Nur", "Dirie"),
    ),
    Nationality(
        "Ukrainian", "ua", 9, ("uk", "ru"), "A2",
        (("Homes for Ukraine visa", 8), (CITIZEN, 1)),
        ("Olena", "Andrii", "Iryna", "Serhii", "Oksana", "Dmytro", "Kateryna", "Taras"),
        ("Kovalenko", "Bondarenko", "Tkachenko", "Shevchuk", "Melnyk", "Kravets", "Lysenko",
         "Hrytsenko"),
    ),
    Nationality(
        "Polish", "pl", 6, ("pl",), "B1",
        ((EU_SETTLED, 5), (EU_PRE_SETTLED, 1)),
        ("Agnieszka", "Tomasz", "Magdalena", "Piotr", "Katarzyna", "Marek", "Joanna", "Pawel"),
        ("Nowak", "Kowalczyk", "Wisniewska", "Zielinski", "Wojcik", "Mazur", "Krawczyk",
         "Dabrowski"),
    ),
    Nationality(
        "Romanian", "ro", 5, ("ro", "hu"), "B1",
        ((EU_SETTLED, 3), (EU_PRE_SETTLED, 2)),
        ("Ioana", "Mihai", "Elena", "Andrei", "Cristina", "Florin", "Alina", "Gheorghe"),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Lungu", "Constantin", "Rusu"),
    ),
    Nationality(
        "Bulgarian", "bg", 2, ("bg", "tr"), "B1",
        ((EU_SETTLED, 2), (EU_PRE_SETTLED, 1)),
        ("Desislava", "Georgi", "Milena", "Stoyan", "Radka", "Nikolai", "Vesela", "Ivaylo"),
        ("Petrova", "Dimitrov", "Georgieva", "Todorov", "Ivanova", "Stoyanov", "Koleva",
         "Marinov"),
    ),
    Nationality(
        "Lithuanian", "lt", 2, ("lt", "ru"), "B1",
        ((EU_SETTLED, 2), (EU_PRE_SETTLED, 1)),
        ("Ruta", "Tomas", "Egle", "Mindaugas", "Jurgita", "Darius", "Laura", "Vytautas"),
        ("Kazlauskas", "Jankauskaite", "Petrauskas", "Vasiliauskiene", "Zukauskas",
         "Butkute", "Paulauskas", "Urbonaite"),
    ),
    Nationality(
        "Nigerian", "ng", 7, ("yo", "ig", "ha"), "C1",
        ((DEPENDANT, 3), (FAMILY, 2), (CITIZEN, 1), (ASYLUM_SEEKER, 1)),
        ("Chiamaka", "Oluwaseun", "Ngozi", "Emeka", "Funmilayo", "Tunde", "Adaeze", "Ifeanyi"),
        ("Okafor", "Adeyemi", "Nwosu", "Balogun", "Eze", "Ogunleye", "Chukwu", "Adebayo"),
    ),
    Nationality(
        "Zimbabwean", "zw", 4, ("sn", "nd"), "C1",
        ((FAMILY, 2), (CITIZEN, 2), (REFUGEE, 1)),
        ("Tendai", "Rutendo", "Farai", "Chipo", "Tatenda", "Nyasha", "Kudzai", "Tsitsi"),
        ("Moyo", "Ncube", "Sibanda", "Dube", "Mpofu", "Chikwanha", "Mutasa", "Zvobgo"),
    ),
    Nationality(
        "Indian", "in", 4, ("hi", "ml", "pa"), "B2",
        ((DEPENDANT, 3), (FAMILY, 2), (CITIZEN, 1)),
        ("Priya", "Arjun", "Anjali", "Rahul", "Deepa", "Vikram", "Sneha", "Harpreet"),
        ("Sharma", "Nair", "Patel", "Menon", "Gill", "Reddy", "Iyer", "Sandhu"),
    ),
    Nationality(
        "Pakistani", "pk", 3, ("ur", "pa"), "B1",
        ((FAMILY, 2), (CITIZEN, 2), (ASYLUM_SEEKER, 1)),
        ("Ayesha", "Bilal", "Sana", "Imran", "Hina", "Usman", "Maryam", "Faisal"),
        ("Qureshi", "Malik", "Chaudhry", "Butt", "Raza", "Iqbal", "Mirza", "Anwar"),
    ),
    Nationality(
        "Filipino", "ph", 3, ("tl",), "B2",
        ((DEPENDANT, 2), (FAMILY, 1), (CITIZEN, 1)),
        ("Maricel", "Jose", "Rowena", "Ramon", "Analyn", "Jericho", "Lorna", "Rodel"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Villanueva", "Mendoza", "Garcia", "Dizon"),
    ),
    Nationality(
        "British National (Overseas)", "hk", 3, ("yue", "zh"), "B2",
        (("BN(O) visa", 1),),
        ("Ka Yan", "Wing Kei", "Hoi Ting", "Chun Hei", "Mei Ling", "Tsz Hin", "Wai Man",
         "Pui Shan"),
        ("Chan", "Wong", "Lau", "Cheung", "Leung", "Ho", "Tsang", "Yeung"),
    ),
    Nationality(
        "Venezuelan", "ve", 2, ("es",), "A2",
        ((ASYLUM_SEEKER, 2), (REFUGEE, 1)),
        ("Daniela", "Luis", "Gabriela", "Carlos", "Mariana", "Jesus", "Valentina", "Jorge"),
        ("Rodriguez", "Gonzalez", "Perez", "Hernandez", "Marquez", "Rojas", "Silva", "Vargas"),
    ),
    Nationality(
        "Congolese", "cd", 2, ("fr", "ln", "sw"), "A2",
        ((REFUGEE, 2), (ASYLUM_SEEKER, 2)),
        ("Grace", "Patrick", "Esther", "Jean-Paul", "Nadege", "Christian", "Ruth", "Fiston"),
        ("Mukendi", "Kabongo", "Ilunga", "Tshibanda", "Mbuyi", "Kalala", "Lukusa", "Mwamba"),
    ),
)  # fmt: skip
