"""The embedded demo store: a believable branch network, staff in every role, customers and purchases.

Written through the same write path as the app (one transaction, change-log rows by construction), so the
demo store is a store like any other.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from core.kernel.ids import new_id
from core.kernel.money import vat_fils
from core.messaging.consent import Action, Purpose, Source
from core.staff.auth import Role, hash_pin
from storage.changelog import WRITE_KEY, WriteContext
from storage.db import Store
from storage.schema import Branch, ConsentChangeRow, Customer, Order, OrderLine, Staff, StoreSetting
from storage.seed.loyalty import seed_loyalty
from storage.seed.shoppers import seed_personal_shoppers

BRANCHES = [
    ("DXB1", "Dubai Mall", "دبي مول", "dubai", "The Dubai Mall, Level 1, Fashion Avenue"),
    ("DXB2", "Mall of the Emirates", "مول الإمارات", "dubai", "Mall of the Emirates, Al Barsha"),
    ("AUH1", "Yas Mall Abu Dhabi", "ياس مول أبوظبي", "abu_dhabi", "Yas Mall, Yas Island, Abu Dhabi"),
    ("SHJ1", "City Centre Sharjah", "سيتي سنتر الشارقة", "sharjah", "City Centre Sharjah, Al Wahda Street"),
]

# (username, English name, Arabic name, role, branch code, demo PIN)
STAFF = [
    ("aisha.cashier", "Aisha Al Marzooqi", "عائشة المرزوقي", Role.CASHIER, "DXB1", "1111"),
    ("rahul.cashier", "Rahul Menon", "راهول مينون", Role.CASHIER, "DXB1", "1112"),
    ("noura.shopper", "Noura Al Shamsi", "نورة الشامسي", Role.PERSONAL_SHOPPER, "DXB1", "2222"),
    ("elena.shopper", "Elena Petrova", "إيلينا بيتروفا", Role.PERSONAL_SHOPPER, "DXB1", "2223"),
    ("khalid.manager", "Khalid Al Suwaidi", "خالد السويدي", Role.MANAGER, "DXB1", "3333"),
    ("admin", "Store Administrator", "مدير النظام", Role.ADMIN, "DXB1", "4444"),
    ("omar.cashier", "Omar Haddad", "عمر حداد", Role.CASHIER, "DXB2", "1111"),
    ("mariam.manager", "Mariam Al Kaabi", "مريم الكعبي", Role.MANAGER, "DXB2", "3333"),
    ("saeed.cashier", "Saeed Al Dhaheri", "سعيد الظاهري", Role.CASHIER, "AUH1", "1111"),
    ("hessa.shopper", "Hessa Al Mazrouei", "حصة المزروعي", Role.PERSONAL_SHOPPER, "AUH1", "2222"),
    ("yousef.manager", "Yousef Al Hashimi", "يوسف الهاشمي", Role.MANAGER, "SHJ1", "3333"),
]

FIRST_NAMES = [
    ("Mohammed", "محمد"),
    ("Ahmed", "أحمد"),
    ("Abdullah", "عبدالله"),
    ("Khalid", "خالد"),
    ("Omar", "عمر"),
    ("Saeed", "سعيد"),
    ("Rashid", "راشد"),
    ("Hamdan", "حمدان"),
    ("Sultan", "سلطان"),
    ("Majid", "ماجد"),
    ("Fatima", "فاطمة"),
    ("Mariam", "مريم"),
    ("Aisha", "عائشة"),
    ("Noura", "نورة"),
    ("Hessa", "حصة"),
    ("Latifa", "لطيفة"),
    ("Shamma", "شمة"),
    ("Maitha", "ميثاء"),
    ("Salama", "سلامة"),
    ("Reem", "ريم"),
    ("Yousef", "يوسف"),
    ("Ali", "علي"),
    ("Hassan", "حسن"),
    ("Layla", "ليلى"),
    ("Sara", "سارة"),
]
FAMILY_NAMES = [
    ("Al Mansoori", "المنصوري"),
    ("Al Hashimi", "الهاشمي"),
    ("Al Falasi", "الفلاسي"),
    ("Al Suwaidi", "السويدي"),
    ("Al Mazrouei", "المزروعي"),
    ("Al Dhaheri", "الظاهري"),
    ("Al Marzooqi", "المرزوقي"),
    ("Al Shamsi", "الشامسي"),
    ("Al Ketbi", "الكتبي"),
    ("Al Kaabi", "الكعبي"),
    ("Al Zaabi", "الزعابي"),
    ("Al Nuaimi", "النعيمي"),
    ("Al Qasimi", "القاسمي"),
    ("Haddad", "حداد"),
    ("Khoury", "خوري"),
    ("Al Amiri", "العامري"),
]
EXPAT_NAMES = [
    ("Priya", "Sharma"),
    ("James", "Wilson"),
    ("Elena", "Ivanova"),
    ("Chen", "Wei"),
    ("Maria", "Santos"),
    ("Arjun", "Nair"),
    ("Sophie", "Laurent"),
    ("Daniel", "Okafor"),
    ("Hannah", "Schmidt"),
    ("Ravi", "Patel"),
]
EMIRATES = (
    ["dubai"] * 45
    + ["abu_dhabi"] * 25
    + ["sharjah"] * 15
    + ["ajman", "ras_al_khaimah", "fujairah"] * 4
    + ["umm_al_quwain"] * 3
)
AREAS = ["Jumeirah", "Al Barsha", "Downtown", "Khalifa City", "Al Reem", "Al Majaz", "Mirdif", "Al Nahda"]
# The share of customers who agreed at the till to offers on their preferred channel (an explicit grant in the
# consent ledger: promotional consent is never assumed), so a campaign's audience on the demo is not empty.
PROMOTIONAL_SHARE = 0.6
SEGMENTS = ["regular"] * 70 + ["vip"] * 8 + ["wholesale"] * 5 + ["export"] * 7 + ["corporate"] * 10
PRODUCTS = [
    ("OUD-ROY-50", "Royal Oud", "Perfume & Oud", "oud", 50, 89000),
    ("OUD-CAM-100", "Cambodian Oud Oil", "Perfume & Oud", "oud", 12, 145000),
    ("AMB-NIG-75", "Amber Nights", "Perfume & Oud", "amber", 75, 42000),
    ("ROS-TAI-50", "Taif Rose", "Perfume & Oud", "floral", 50, 38000),
    ("MSK-WHT-30", "White Musk", "Perfume & Oud", "musk", 30, 18500),
    ("ORI-SAF-100", "Saffron Oriental", "Maison Arabia", "oriental", 100, 56000),
    ("WOD-SAN-50", "Sandalwood Mysore", "Maison Arabia", "woody", 50, 61000),
    ("CIT-BER-100", "Bergamot Breeze", "Atelier Frais", "citrus", 100, 32000),
    ("FRS-SEA-100", "Sea Salt Vetiver", "Atelier Frais", "fresh", 100, 29500),
    ("BKH-MUB-40", "Mubakhar Bakhoor", "Perfume & Oud", "oud", 40, 12000),
]


def _mobile(rng: random.Random, used: set[str]) -> str:
    while True:
        number = f"+9715{rng.choice('024568')}{rng.randrange(10**7):07d}"
        if number not in used:
            used.add(number)
            return number


def seed_demo(
    store: Store, customers: int = 2000, rng_seed: int = 971, *, loyalty: bool = True, now: datetime | None = None
) -> None:
    """Fills an empty store, its history ending at ``now`` (the present by default). Refuses a store that
    already has branches."""
    rng = random.Random(rng_seed)
    now = now or datetime.now(UTC)
    with store.write_session() as session, session.begin():
        if session.query(Branch).count():
            raise RuntimeError("the store is not empty")
        branches = {}
        for code, name_en, name_ar, emirate, location in BRANCHES:
            branches[code] = Branch(
                id=new_id(), code=code, name_en=name_en, name_ar=name_ar, emirate=emirate, location=location
            )
            session.add(branches[code])
        staff = []
        for username, name_en, name_ar, role, code, pin in STAFF:
            member = Staff(
                id=new_id(),
                branch_id=branches[code].id,
                username=username,
                name_en=name_en,
                name_ar=name_ar,
                role=role.value,
                pin_hash=hash_pin(pin),
            )
            staff.append(member)
            session.add(member)
        home = branches["DXB1"]
        terminal = new_id()
        for key, value in (("branch_id", home.id), ("terminal_id", terminal), ("demo", "1")):
            session.add(StoreSetting(key=key, value=value))
        session.flush()
        store.settings.update(branch_id=home.id, terminal_id=terminal, demo="1")
        store.clock.node = terminal
        admin = next(s for s in staff if s.role == Role.ADMIN)
        session.info[WRITE_KEY] = WriteContext(home.id, admin.id, store.clock, now)
        used: set[str] = set()
        # A second generator for consent, so the customers and purchases drawn from ``rng`` stay as they were.
        consent_rng = random.Random(rng_seed + 1)
        codes = list(branches)
        counters = dict.fromkeys(codes, 0)
        for i in range(customers):
            code = codes[0] if i % 2 == 0 else rng.choice(codes)
            counters[code] += 1
            first_ar: str | None
            last_ar: str | None
            if rng.random() < 0.75:
                first_en, first_ar = rng.choice(FIRST_NAMES)
                last_en, last_ar = rng.choice(FAMILY_NAMES)
                language = "ar"
            else:
                first_en, last_en = rng.choice(EXPAT_NAMES)
                first_ar = last_ar = None
                language = "en"
            slug = f"{first_en}.{last_en}".lower().replace(" ", "")
            customer = Customer(
                id=new_id(),
                branch_id=branches[code].id,
                number=f"{code}-{counters[code]:06d}",
                # Customers of two to five years' standing: anniversaries fall through the year.
                created_at=now - timedelta(days=730 + (i * 37) % 1100),
                first_name_en=first_en,
                last_name_en=last_en,
                first_name_ar=first_ar,
                last_name_ar=last_ar,
                mobile=_mobile(rng, used),
                email=f"{slug}{i}@example.ae" if rng.random() < 0.7 else None,
                segment=rng.choice(SEGMENTS),
                emirate=rng.choice(EMIRATES),
                area=rng.choice(AREAS),
                birthday=date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
                if rng.random() < 0.8
                else None,
                preferred_language=language,
                preferred_channel=rng.choice(["whatsapp", "whatsapp", "sms", "email"]),
                consent_whatsapp=rng.random() < 0.8,
                consent_sms=rng.random() < 0.6,
                consent_email=rng.random() < 0.5,
            )
            session.add(customer)
            if consent_rng.random() < PROMOTIONAL_SHARE:
                _grant_offers(session, customer, branches[code], admin)
            for _ in range(rng.choice([0, 1, 1, 2, 3, 5])):
                _purchase(session, rng, customer, branches[code], now - timedelta(days=rng.randint(1, 720)))
        session.add(StoreSetting(key="customer_counter", value=str(counters["DXB1"])))
        seed_personal_shoppers(session, now)
        if loyalty:
            seed_loyalty(session, now)


def _grant_offers(session: object, customer: Customer, branch: Branch, staff: Staff) -> None:
    """The customer's agreement, recorded at registration, to receive offers on their preferred channel."""
    channel = customer.preferred_channel
    address = customer.email if channel == "email" else customer.mobile
    if address is None:
        return  # no address on that channel to agree for
    session.add(  # type: ignore[attr-defined]
        ConsentChangeRow(
            id=new_id(),
            branch_id=branch.id,
            customer_id=customer.id,
            channel=channel,
            purpose=Purpose.PROMOTIONAL.value,
            action=Action.GRANT.value,
            source=Source.TILL.value,
            occurred_at=customer.created_at + timedelta(minutes=5),
            address=address,
            staff_id=staff.id,
            evidence={},
        )
    )


def _purchase(session: object, rng: random.Random, customer: Customer, branch: Branch, at: datetime) -> None:
    order_id = new_id()
    lines = []
    for sku, name, brand, family, size, price in rng.sample(PRODUCTS, rng.randint(1, 3)):
        qty = rng.choice([1, 1, 1, 2])
        net = price * qty
        lines.append(
            OrderLine(
                id=new_id(),
                branch_id=branch.id,
                created_at=at,
                order_id=order_id,
                sku=sku,
                product_name=name,
                brand=brand,
                family=family,
                size_ml=size,
                quantity=qty,
                unit_price_fils=price,
                net_fils=net,
                vat_fils=vat_fils(net),
            )
        )
    net_total = sum(line.net_fils for line in lines)
    vat_total = sum(line.vat_fils for line in lines)
    order = Order(
        id=order_id,
        branch_id=branch.id,
        created_at=at,
        number=f"{branch.code}-S{order_id[-8:].upper()}",
        customer_id=customer.id,
        net_fils=net_total,
        vat_fils=vat_total,
        total_fils=net_total + vat_total,
        tenders={rng.choice(["card", "cash"]): net_total + vat_total},
    )
    session.add(order)  # type: ignore[attr-defined]
    session.add_all(lines)  # type: ignore[attr-defined]
