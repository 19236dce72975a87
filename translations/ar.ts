<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
  <context>
    <name>BranchStatusBar</name>
    <message>
      <source>Unsynced changes: %1</source>
      <translation>تغييرات غير مُزامنة: %1</translation>
    </message>
    <message>
      <source>Store key in a file (no keyring)</source>
      <translation>مفتاح قاعدة البيانات في ملف (لا توجد سلسلة مفاتيح)</translation>
    </message>
    <message>
      <source>This computer has no system keyring, so the key that encrypts the store is kept in a file only this user account can read. Anyone who signs in as this user can read the store.</source>
      <translation>لا توجد على هذا الجهاز سلسلة مفاتيح للنظام، لذا يُحفظ مفتاح تشفير قاعدة البيانات في ملف لا يقرؤه إلا حساب هذا المستخدم. كل من يسجّل الدخول بهذا الحساب يستطيع قراءة قاعدة البيانات.</translation>
    </message>
    <message>
      <source>Not signed in · %1</source>
      <translation>لم يسجّل أحد الدخول · %1</translation>
    </message>
    <message>
      <source>%1 (%2) · %3</source>
      <translation>%1 (%2) · %3</translation>
    </message>
    <message>
      <source>Store: %1</source>
      <translation>قاعدة البيانات: %1</translation>
    </message>
    <message>
      <source>Low scores waiting: %1</source>
      <translation>تقييمات منخفضة بانتظار المتابعة: %1</translation>
    </message>
    <message>
      <source>Overdue tickets: %1</source>
      <translation>تذاكر متأخرة: %1</translation>
    </message>
  </context>
  <context>
    <name>CameraView</name>
    <message>
      <source>Starting the camera…</source>
      <translation>جارٍ تشغيل الكاميرا…</translation>
    </message>
    <message>
      <source>Hold the gift card's QR code in front of the camera.</source>
      <translation>ضع رمز QR الخاص ببطاقة الهدايا أمام الكاميرا.</translation>
    </message>
    <message>
      <source>Read gift card {code}</source>
      <translation>تمت قراءة بطاقة الهدايا {code}</translation>
    </message>
    <message>
      <source>This QR code is not one of our gift cards.</source>
      <translation>رمز QR هذا ليس لإحدى بطاقات هدايانا.</translation>
    </message>
    <message>
      <source>The camera is off.</source>
      <translation>الكاميرا متوقفة.</translation>
    </message>
    <message>
      <source>No camera picture</source>
      <translation>لا توجد صورة من الكاميرا</translation>
    </message>
  </context>
  <context>
    <name>CameraWorker</name>
    <message>
      <source>The camera stopped with an error: {error}</source>
      <translation>توقفت الكاميرا بسبب خطأ: {error}</translation>
    </message>
    <message>
      <source>Camera {camera} cannot be opened. Check that it is connected and not in use by another program.</source>
      <translation>تعذّر فتح الكاميرا {camera}. تأكد من توصيلها وأنها غير مستخدمة من برنامج آخر.</translation>
    </message>
    <message>
      <source>The video source {source} cannot be opened.</source>
      <translation>تعذّر فتح مصدر الفيديو {source}.</translation>
    </message>
    <message>
      <source>The camera stopped sending pictures.</source>
      <translation>توقفت الكاميرا عن إرسال الصور.</translation>
    </message>
  </context>
  <context>
    <name>CardPrinting</name>
    <message>
      <source>Print gift card</source>
      <translation>طباعة بطاقة الهدايا</translation>
    </message>
  </context>
  <context>
    <name>CustomerForm</name>
    <message>
      <source>— not given —</source>
      <translation>— غير محدد —</translation>
    </message>
    <message>
      <source>Known</source>
      <translation>معروف</translation>
    </message>
    <message>
      <source>050 123 4567</source>
      <translation>050 123 4567</translation>
    </message>
    <message>
      <source>name@example.com</source>
      <translation>name@example.com</translation>
    </message>
    <message>
      <source>784-YYYY-NNNNNNN-N</source>
      <translation>784-YYYY-NNNNNNN-N</translation>
    </message>
    <message>
      <source>Receipts and notices</source>
      <translation>الإيصالات والإشعارات</translation>
    </message>
    <message>
      <source>Offers</source>
      <translation>العروض</translation>
    </message>
    <message>
      <source>The customer agrees to receive offers on this channel.</source>
      <translation>يوافق العميل على تلقي العروض عبر هذه القناة.</translation>
    </message>
    <message>
      <source>The customer agrees to receive receipts and account notices on this channel.</source>
      <translation>يوافق العميل على تلقي الإيصالات وإشعارات الحساب عبر هذه القناة.</translation>
    </message>
    <message>
      <source>Asia/Dubai</source>
      <translation>Asia/Dubai</translation>
    </message>
    <message>
      <source>An export customer abroad: the time zone they live in, such as Europe/London.</source>
      <translation>لعميل التصدير المقيم في الخارج: المنطقة الزمنية التي يعيش فيها، مثل Europe/London.</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>إظهار</translation>
    </message>
    <message>
      <source>Shows the full value. Each time is recorded with your name.</source>
      <translation>يُظهر القيمة كاملة. تُسجَّل كل مرة باسمك.</translation>
    </message>
    <message>
      <source>Show %1</source>
      <translation>إظهار %1</translation>
    </message>
  </context>
  <context>
    <name>CustomerVipTab</name>
    <message>
      <source>VIP service</source>
      <translation>خدمة كبار العملاء</translation>
    </message>
    <message>
      <source>VIP service details are for personal shoppers and managers.</source>
      <translation>تفاصيل خدمة كبار العملاء للمتسوقين الشخصيين والمديرين.</translation>
    </message>
    <message>
      <source>No personal shopper</source>
      <translation>لا يوجد متسوق شخصي</translation>
    </message>
    <message>
      <source>Personal shopper: %1</source>
      <translation>المتسوق الشخصي: %1</translation>
    </message>
    <message>
      <source>now</source>
      <translation>الآن</translation>
    </message>
    <message>
      <source>%1: %2 – %3</source>
      <translation>%1: %2 – %3</translation>
    </message>
    <message>
      <source>over capacity (manager override)</source>
      <translation>فوق السعة (بتجاوز من المدير)</translation>
    </message>
    <message>
      <source>Log a visit</source>
      <translation>تسجيل زيارة</translation>
    </message>
    <message>
      <source>Personal shoppers over time</source>
      <translation>المتسوقون الشخصيون عبر الزمن</translation>
    </message>
    <message>
      <source>Visits</source>
      <translation>الزيارات</translation>
    </message>
  </context>
  <context>
    <name>CustomersPage</name>
    <message>
      <source>Type a name, mobile, email or customer number.</source>
      <translation>اكتب اسمًا أو رقم جوال أو بريدًا إلكترونيًا أو رقم عميل.</translation>
    </message>
    <message>
      <source>No customer found. Press Ctrl+N to add one.</source>
      <translation>لم يُعثر على عميل. اضغط Ctrl+N لإضافة عميل.</translation>
    </message>
    <message numerus="yes">
      <source>%n customer(s) shown</source>
      <translation>
        <numerusform>لا عملاء</numerusform>
        <numerusform>عميل واحد</numerusform>
        <numerusform>عميلان</numerusform>
        <numerusform>%n عملاء</numerusform>
        <numerusform>%n عميلًا</numerusform>
        <numerusform>%n عميل</numerusform>
      </translation>
    </message>
    <message>
      <source>%1: %2 → %3</source>
      <translation>%1: %2 ← %3</translation>
    </message>
    <message>
      <source>Saved.</source>
      <translation>تم الحفظ.</translation>
    </message>
    <message>
      <source>Check the fields marked in red.</source>
      <translation>راجع الحقول المعلَّمة باللون الأحمر.</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>New customer</source>
      <translation>عميل جديد</translation>
    </message>
    <message>
      <source>Fill in at least a first name and a mobile number.</source>
      <translation>أدخل الاسم الأول ورقم الجوال على الأقل.</translation>
    </message>
    <message>
      <source>Birthday %1</source>
      <translation>تاريخ الميلاد %1</translation>
    </message>
    <message>
      <source>Search by name, mobile, email or customer number (Ctrl+F)</source>
      <translation>ابحث بالاسم أو الجوال أو البريد أو رقم العميل (Ctrl+F)</translation>
    </message>
    <message>
      <source>New customer (Ctrl+N)</source>
      <translation>عميل جديد (Ctrl+N)</translation>
    </message>
    <message>
      <source>Save (Ctrl+S)</source>
      <translation>حفظ (Ctrl+S)</translation>
    </message>
    <message>
      <source>Undo changes</source>
      <translation>تراجع عن التغييرات</translation>
    </message>
    <message>
      <source>Profile</source>
      <translation>الملف الشخصي</translation>
    </message>
    <message>
      <source>History</source>
      <translation>السجل</translation>
    </message>
    <message>
      <source>When</source>
      <translation>التاريخ</translation>
    </message>
    <message>
      <source>Staff</source>
      <translation>الموظفون</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>What</source>
      <translation>التغيير</translation>
    </message>
    <message>
      <source>Find a customer on the left, or add a new one.</source>
      <translation>ابحث عن عميل في القائمة، أو أضف عميلًا جديدًا.</translation>
    </message>
    <message>
      <source>No customers to show: type a name, mobile or number above.</source>
      <translation>لا يوجد عملاء لعرضهم: اكتب الاسم أو رقم الجوال أو رقم العميل في الأعلى.</translation>
    </message>
    <message>
      <source>Send message… (Ctrl+M)</source>
      <translation>إرسال رسالة… (Ctrl+M)</translation>
    </message>
    <message>
      <source>Export data… (Ctrl+E)</source>
      <translation>تصدير البيانات… (Ctrl+E)</translation>
    </message>
    <message>
      <source>Export this customer's data as JSON and as a PDF in English and Arabic</source>
      <translation>تصدير بيانات هذا العميل بصيغة JSON وملف PDF بالعربية والإنجليزية</translation>
    </message>
  </context>
  <context>
    <name>FollowUpsView</name>
    <message>
      <source>Overdue follow-ups (%1)</source>
      <translation>متابعات متأخرة (%1)</translation>
    </message>
    <message>
      <source>Visits with customers who are not VIPs (%1)</source>
      <translation>زيارات لعملاء ليسوا من كبار العملاء (%1)</translation>
    </message>
    <message>
      <source>Was due</source>
      <translation>كانت مستحقة</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Shopper</source>
      <translation>المتسوق</translation>
    </message>
    <message>
      <source>To do</source>
      <translation>المطلوب</translation>
    </message>
    <message>
      <source>When</source>
      <translation>متى</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>ملاحظات</translation>
    </message>
  </context>
  <context>
    <name>GiftCardPanel</name>
    <message>
      <source>Active</source>
      <translation>نشطة</translation>
    </message>
    <message>
      <source>Used up</source>
      <translation>مستنفدة</translation>
    </message>
    <message>
      <source>Expired</source>
      <translation>منتهية الصلاحية</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>ملغاة</translation>
    </message>
    <message>
      <source>Plain</source>
      <translation>عادية</translation>
    </message>
    <message>
      <source>Birthday</source>
      <translation>عيد ميلاد</translation>
    </message>
    <message>
      <source>Wedding</source>
      <translation>زفاف</translation>
    </message>
    <message>
      <source>Eid</source>
      <translation>العيد</translation>
    </message>
    <message>
      <source>Ramadan</source>
      <translation>رمضان</translation>
    </message>
    <message>
      <source>UAE National Day</source>
      <translation>اليوم الوطني الإماراتي</translation>
    </message>
    <message>
      <source>Corporate</source>
      <translation>هدايا الشركات</translation>
    </message>
    <message>
      <source>Sold</source>
      <translation>مبيعة</translation>
    </message>
    <message>
      <source>Redeemed</source>
      <translation>استخدام الرصيد</translation>
    </message>
    <message>
      <source>Refund to card</source>
      <translation>ردّ إلى البطاقة</translation>
    </message>
    <message>
      <source>Adjustment</source>
      <translation>تعديل</translation>
    </message>
    <message>
      <source>Sold for %1</source>
      <translation>بيعت بمبلغ %1</translation>
    </message>
    <message>
      <source>valid until %1</source>
      <translation>صالحة حتى %1</translation>
    </message>
    <message>
      <source>for %1</source>
      <translation>إلى %1</translation>
    </message>
    <message>
      <source>%1 awaiting head office</source>
      <translation>%1 بانتظار المكتب الرئيسي</translation>
    </message>
    <message>
      <source>Balance</source>
      <translation>الرصيد</translation>
    </message>
    <message>
      <source>Explain this balance: every event, newest first</source>
      <translation>تفسير هذا الرصيد: كل حركة، الأحدث أولًا</translation>
    </message>
    <message>
      <source>When</source>
      <translation>متى</translation>
    </message>
    <message>
      <source>What</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>المبلغ</translation>
    </message>
    <message>
      <source>Balance after</source>
      <translation>الرصيد بعدها</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Staff · reason</source>
      <translation>الموظف · السبب</translation>
    </message>
  </context>
  <context>
    <name>GiftCardReportPage</name>
    <message numerus="yes">
      <source>%n active card(s) hold this value</source>
      <translation>
        <numerusform>لا بطاقات نشطة تحمل هذه القيمة</numerusform>
        <numerusform>بطاقة نشطة واحدة تحمل هذه القيمة</numerusform>
        <numerusform>بطاقتان نشطتان تحملان هذه القيمة</numerusform>
        <numerusform>%n بطاقات نشطة تحمل هذه القيمة</numerusform>
        <numerusform>%n بطاقة نشطة تحمل هذه القيمة</numerusform>
        <numerusform>%n بطاقة نشطة تحمل هذه القيمة</numerusform>
      </translation>
    </message>
    <message>
      <source>Sold</source>
      <translation>مبيعة</translation>
    </message>
    <message>
      <source>Redeemed</source>
      <translation>المستخدم من الرصيد</translation>
    </message>
    <message>
      <source>Expired</source>
      <translation>منتهية الصلاحية</translation>
    </message>
    <message>
      <source>AED</source>
      <translation>درهم</translation>
    </message>
    <message>
      <source>Gift cards by month (all branches)</source>
      <translation>بطاقات الهدايا شهريًا (كل الفروع)</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Gift card report</source>
      <translation>تقرير بطاقات الهدايا</translation>
    </message>
    <message>
      <source>Outstanding liability (sum of balances)</source>
      <translation>الالتزام القائم (مجموع الأرصدة)</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>تحديث</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>Expiring in the next 30 days</source>
      <translation>تنتهي خلال 30 يومًا القادمة</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>الشهر</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>ملغاة</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>الرمز</translation>
    </message>
    <message>
      <source>Balance</source>
      <translation>الرصيد</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>تنتهي في</translation>
    </message>
  </context>
  <context>
    <name>GiftCardsPage</name>
    <message>
      <source>This card is already open.</source>
      <translation>هذه البطاقة مفتوحة بالفعل.</translation>
    </message>
    <message>
      <source>Looking up the card…</source>
      <translation>جارٍ البحث عن البطاقة…</translation>
    </message>
    <message>
      <source>Card found.</source>
      <translation>تم العثور على البطاقة.</translation>
    </message>
    <message>
      <source>Take %1 from card %2?
The card keeps %3.</source>
      <translation>خصم %1 من البطاقة %2؟
يبقى في البطاقة %3.</translation>
    </message>
    <message>
      <source>Redeem</source>
      <translation>استخدام الرصيد</translation>
    </message>
    <message>
      <source>Redeemed %1. Balance left: %2.</source>
      <translation>استُخدم %1 من الرصيد. الرصيد المتبقي: %2.</translation>
    </message>
    <message>
      <source>Perfume &amp; Oud — %1</source>
      <translation>العطور والعود — %1</translation>
    </message>
    <message>
      <source>Gift card %1</source>
      <translation>بطاقة الهدايا %1</translation>
    </message>
    <message>
      <source>Paid with the card: %1</source>
      <translation>المدفوع بالبطاقة: %1</translation>
    </message>
    <message>
      <source>Balance left: %1</source>
      <translation>الرصيد المتبقي: %1</translation>
    </message>
    <message>
      <source>Served by %1</source>
      <translation>خدمك: %1</translation>
    </message>
    <message>
      <source>Refund to card</source>
      <translation>ردّ إلى البطاقة</translation>
    </message>
    <message>
      <source>Reason (for example the returned item):</source>
      <translation>السبب (مثلًا: المنتج المُرجع):</translation>
    </message>
    <message>
      <source>Refunded %1 to the card.</source>
      <translation>رُدّ %1 إلى البطاقة.</translation>
    </message>
    <message>
      <source>Cancel card</source>
      <translation>إلغاء البطاقة</translation>
    </message>
    <message>
      <source>Why is card %1 being cancelled?</source>
      <translation>لماذا تُلغى البطاقة %1؟</translation>
    </message>
    <message>
      <source>The card is cancelled.</source>
      <translation>أُلغيت البطاقة.</translation>
    </message>
    <message>
      <source>That QR code is not one of our gift cards.</source>
      <translation>رمز QR هذا ليس لإحدى بطاقات هدايانا.</translation>
    </message>
    <message>
      <source>To pay: %1 (no VAT on gift cards)</source>
      <translation>المطلوب دفعه: %1 (لا ضريبة قيمة مضافة على بطاقات الهدايا)</translation>
    </message>
    <message numerus="yes">
      <source>Sell %n card(s) for %1 in total?</source>
      <translation>
        <numerusform>بيع 0 بطاقات بمجموع %1؟</numerusform>
        <numerusform>بيع بطاقة واحدة بمجموع %1؟</numerusform>
        <numerusform>بيع بطاقتين بمجموع %1؟</numerusform>
        <numerusform>بيع %n بطاقات بمجموع %1؟</numerusform>
        <numerusform>بيع %n بطاقة بمجموع %1؟</numerusform>
        <numerusform>بيع %n بطاقة بمجموع %1؟</numerusform>
      </translation>
    </message>
    <message>
      <source>Sell gift card</source>
      <translation>بيع بطاقة هدايا</translation>
    </message>
    <message numerus="yes">
      <source>Sold %n card(s). Code: %1</source>
      <translation>
        <numerusform>لم تُبع أي بطاقة. الرمز: %1</numerusform>
        <numerusform>بيعت بطاقة واحدة. الرمز: %1</numerusform>
        <numerusform>بيعت بطاقتان. الرمز: %1</numerusform>
        <numerusform>بيعت %n بطاقات. الرمز: %1</numerusform>
        <numerusform>بيعت %n بطاقة. الرمز: %1</numerusform>
        <numerusform>بيعت %n بطاقة. الرمز: %1</numerusform>
      </translation>
    </message>
    <message>
      <source>Find and redeem (F2)</source>
      <translation>البحث واستخدام الرصيد (F2)</translation>
    </message>
    <message>
      <source>Sell</source>
      <translation>بيع</translation>
    </message>
    <message>
      <source>Scan the card, or type its code: PO-XXXX-XXXX-XXXX</source>
      <translation>امسح البطاقة أو اكتب رمزها: PO-XXXX-XXXX-XXXX</translation>
    </message>
    <message>
      <source>Find</source>
      <translation>بحث</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>الكاميرا</translation>
    </message>
    <message>
      <source>Amount to take, e.g. 250</source>
      <translation>المبلغ المطلوب خصمه، مثل 250</translation>
    </message>
    <message>
      <source>Print card</source>
      <translation>طباعة البطاقة</translation>
    </message>
    <message>
      <source>Quick amounts</source>
      <translation>مبالغ سريعة</translation>
    </message>
    <message>
      <source>Amount (AED)</source>
      <translation>المبلغ (درهم)</translation>
    </message>
    <message>
      <source>Occasion</source>
      <translation>المناسبة</translation>
    </message>
    <message>
      <source>Recipient</source>
      <translation>المُهدى إليه</translation>
    </message>
    <message>
      <source>From</source>
      <translation>من</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>الرسالة</translation>
    </message>
    <message>
      <source>Valid for (months)</source>
      <translation>مدة الصلاحية (أشهر)</translation>
    </message>
    <message>
      <source>Purchaser (customer number or mobile, optional)</source>
      <translation>المشتري (رقم العميل أو الجوال، اختياري)</translation>
    </message>
    <message>
      <source>Number of cards (corporate)</source>
      <translation>عدد البطاقات (للشركات)</translation>
    </message>
    <message>
      <source>Sell card</source>
      <translation>بيع البطاقة</translation>
    </message>
    <message>
      <source>Gift cards</source>
      <translation>بطاقات الهدايا</translation>
    </message>
  </context>
  <context>
    <name>HeadOfficeSyncPage</name>
    <message>
      <source>Standalone</source>
      <translation>مستقل</translation>
    </message>
    <message>
      <source>No head office is configured for this store. Everything works here; every change is kept in order so it can be sent when this branch is connected to head office.</source>
      <translation>لم يُضبط مكتب رئيسي لهذا المتجر. كل شيء يعمل هنا؛ ويُحفظ كل تغيير بالترتيب ليُرسل عند ربط هذا الفرع بالمكتب الرئيسي.</translation>
    </message>
    <message>
      <source>Head office cannot be reached. Sales, customers and gift-card sales go on as usual and are sent when it is back; redemptions only within the offline allowance below.</source>
      <translation>تعذّر الاتصال بالمكتب الرئيسي. تستمر المبيعات والعملاء وبيع بطاقات الهدايا كالمعتاد وتُرسل عند عودته؛ أما استخدام الأرصدة فضمن حد العمل دون اتصال أدناه فقط.</translation>
    </message>
    <message>
      <source>This branch and head office are exchanging changes.</source>
      <translation>يتبادل هذا الفرع والمكتب الرئيسي التغييرات.</translation>
    </message>
    <message>
      <source>%1 changes waiting for head office</source>
      <translation>%1 تغييرات بانتظار المكتب الرئيسي</translation>
    </message>
    <message>
      <source>Head office: %1</source>
      <translation>المكتب الرئيسي: %1</translation>
    </message>
    <message>
      <source>This computer has no system keyring, so the branch's head-office secret is kept in a file only this user account can read, next to the store.</source>
      <translation>لا توجد سلسلة مفاتيح للنظام على هذا الجهاز، لذا يُحفظ سرّ الفرع لدى المكتب الرئيسي في ملف بجانب قاعدة البيانات لا يقرؤه إلا حساب هذا المستخدم.</translation>
    </message>
    <message>
      <source>This till's clock is %1 hours ahead of head office. Correct it.</source>
      <translation>ساعة هذه النقطة متقدمة %1 ساعة عن المكتب الرئيسي. صحّحها.</translation>
    </message>
    <message>
      <source>This till's clock is %1 hours behind head office. Correct it.</source>
      <translation>ساعة هذه النقطة متأخرة %1 ساعة عن المكتب الرئيسي. صحّحها.</translation>
    </message>
    <message>
      <source>Gift cards</source>
      <translation>بطاقات الهدايا</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>%1 h offline, balances %2 h old</source>
      <translation>%1 ساعة دون اتصال، وأرصدة عمرها %2 ساعة</translation>
    </message>
    <message>
      <source>Head office sync</source>
      <translation>المزامنة مع المكتب الرئيسي</translation>
    </message>
    <message>
      <source>Sync now</source>
      <translation>زامن الآن</translation>
    </message>
    <message>
      <source>Offline allowance granted by head office</source>
      <translation>حدّ العمل دون اتصال الممنوح من المكتب الرئيسي</translation>
    </message>
    <message>
      <source>For</source>
      <translation>لـ</translation>
    </message>
    <message>
      <source>Per card or account</source>
      <translation>لكل بطاقة أو حساب</translation>
    </message>
    <message>
      <source>Per outage</source>
      <translation>لكل انقطاع</translation>
    </message>
    <message>
      <source>Limits</source>
      <translation>القيود</translation>
    </message>
  </context>
  <context>
    <name>LoyaltyTab</name>
    <message>
      <source>%1 points · worth %2</source>
      <translation>%1 نقطة · قيمتها %2</translation>
    </message>
    <message>
      <source>Card %1</source>
      <translation>البطاقة %1</translation>
    </message>
    <message>
      <source>No card yet</source>
      <translation>لا بطاقة بعد</translation>
    </message>
    <message>
      <source>Top tier reached.</source>
      <translation>بلغ العميل أعلى مستوى.</translation>
    </message>
    <message>
      <source>%1 more points earned to reach %2</source>
      <translation>يلزم كسب %1 نقطة أخرى لبلوغ الفئة %2</translation>
    </message>
    <message>
      <source>%1 points expire on %2</source>
      <translation>تنتهي صلاحية %1 نقطة في %2</translation>
    </message>
    <message>
      <source>No points expire soon.</source>
      <translation>لا نقاط تنتهي صلاحيتها قريبًا.</translation>
    </message>
    <message>
      <source>Earns %1 % more points</source>
      <translation>يكسب نقاطًا إضافية بنسبة %1 ٪</translation>
    </message>
    <message>
      <source>VIP services: personal shopper, private appointments</source>
      <translation>خدمات كبار العملاء: مستشار تسوق شخصي ومواعيد خاصة</translation>
    </message>
    <message>
      <source>%1 points taken offline, waiting for head office</source>
      <translation>%1 نقطة خُصمت دون اتصال، بانتظار المكتب الرئيسي</translation>
    </message>
    <message>
      <source>(offline, pending)</source>
      <translation>(دون اتصال، قيد الانتظار)</translation>
    </message>
    <message>
      <source>Return</source>
      <translation>إرجاع</translation>
    </message>
    <message>
      <source>Sale</source>
      <translation>البيع</translation>
    </message>
    <message>
      <source>Nothing bought yet.</source>
      <translation>لم يشترِ شيئًا بعد.</translation>
    </message>
    <message>
      <source>Families</source>
      <translation>العائلات العطرية</translation>
    </message>
    <message>
      <source>Brands</source>
      <translation>العلامات التجارية</translation>
    </message>
    <message>
      <source>Sizes</source>
      <translation>الأحجام</translation>
    </message>
    <message>
      <source>Usual price</source>
      <translation>السعر المعتاد</translation>
    </message>
    <message>
      <source>Last purchase</source>
      <translation>آخر شراء</translation>
    </message>
    <message>
      <source>Items kept</source>
      <translation>القطع المحتفظ بها</translation>
    </message>
    <message>
      <source>Unlimited</source>
      <translation>غير محدود</translation>
    </message>
    <message>
      <source>Can be claimed</source>
      <translation>يمكن استبدالها</translation>
    </message>
    <message>
      <source>Preferences saved.</source>
      <translation>تم حفظ التفضيلات.</translation>
    </message>
    <message>
      <source>Claim %1 for %2 points?</source>
      <translation>استبدال %1 مقابل %2 نقطة؟</translation>
    </message>
    <message>
      <source>Claim reward</source>
      <translation>استبدال المكافأة</translation>
    </message>
    <message>
      <source>Reward claimed: it is pending until it is handed over.</source>
      <translation>تم استبدال المكافأة، وهي قيد الانتظار حتى تسليمها.</translation>
    </message>
    <message>
      <source>Cancel this claim and give back %1 points?</source>
      <translation>إلغاء هذا الاستبدال وإعادة %1 نقطة؟</translation>
    </message>
    <message>
      <source>Cancel claim</source>
      <translation>إلغاء الاستبدال</translation>
    </message>
    <message>
      <source>Claim cancelled; the points are back.</source>
      <translation>أُلغي الاستبدال وأُعيدت النقاط.</translation>
    </message>
    <message>
      <source>Claim fulfilled.</source>
      <translation>تم تسليم المكافأة المستبدلة.</translation>
    </message>
    <message>
      <source>Added to the wait list.</source>
      <translation>أُضيف إلى قائمة الانتظار.</translation>
    </message>
    <message>
      <source>Removed from the wait list.</source>
      <translation>أُزيل من قائمة الانتظار.</translation>
    </message>
    <message>
      <source>Points history</source>
      <translation>سجل النقاط</translation>
    </message>
    <message>
      <source>Purchases</source>
      <translation>المشتريات</translation>
    </message>
    <message>
      <source>Preferences</source>
      <translation>التفضيلات</translation>
    </message>
    <message>
      <source>Rewards</source>
      <translation>المكافآت</translation>
    </message>
    <message>
      <source>Wait list</source>
      <translation>قائمة الانتظار</translation>
    </message>
    <message>
      <source>When</source>
      <translation>متى</translation>
    </message>
    <message>
      <source>What</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>About</source>
      <translation>بخصوص</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>Balance</source>
      <translation>الرصيد</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Receipt</source>
      <translation>الإيصال</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>الإجمالي</translation>
    </message>
    <message>
      <source>Open order (returns)</source>
      <translation>فتح الطلب (للإرجاع)</translation>
    </message>
    <message>
      <source>What the customer tells us</source>
      <translation>ما يخبرنا به العميل</translation>
    </message>
    <message>
      <source>What their purchases show</source>
      <translation>ما تُظهره مشترياته</translation>
    </message>
    <message>
      <source>Favourite notes</source>
      <translation>النفحات المفضلة</translation>
    </message>
    <message>
      <source>Intensity</source>
      <translation>قوة العطر</translation>
    </message>
    <message>
      <source>Occasions</source>
      <translation>المناسبات</translation>
    </message>
    <message>
      <source>Budget (AED)</source>
      <translation>الميزانية (درهم)</translation>
    </message>
    <message>
      <source>Dislikes</source>
      <translation>ما لا يحبه</translation>
    </message>
    <message>
      <source>rose, oud, saffron</source>
      <translation>ورد، عود، زعفران</translation>
    </message>
    <message>
      <source>vanilla, patchouli</source>
      <translation>فانيلا، باتشولي</translation>
    </message>
    <message>
      <source>Save preferences</source>
      <translation>حفظ التفضيلات</translation>
    </message>
    <message>
      <source>Rewards for this customer</source>
      <translation>المكافآت المتاحة لهذا العميل</translation>
    </message>
    <message>
      <source>Reward</source>
      <translation>المكافأة</translation>
    </message>
    <message>
      <source>Stock</source>
      <translation>المخزون</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>ملاحظة</translation>
    </message>
    <message>
      <source>Claims</source>
      <translation>الاستبدالات</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Mark fulfilled</source>
      <translation>تأكيد التسليم</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>SKU</source>
      <translation>رمز المنتج</translation>
    </message>
    <message>
      <source>Since</source>
      <translation>منذ</translation>
    </message>
    <message>
      <source>Add to wait list</source>
      <translation>إضافة إلى قائمة الانتظار</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>إزالة</translation>
    </message>
    <message>
      <source>Loyalty</source>
      <translation>الولاء</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <source>Perfume &amp; Oud — Branch Companion</source>
      <translation>العطور والعود — رفيق الفرع</translation>
    </message>
    <message>
      <source>Switch language (Ctrl+L)</source>
      <translation>تبديل اللغة (Ctrl+L)</translation>
    </message>
    <message>
      <source>Sign out</source>
      <translation>تسجيل الخروج</translation>
    </message>
    <message>
      <source>Switch cashier</source>
      <translation>تبديل أمين الصندوق</translation>
    </message>
    <message>
      <source>Back to the PIN prompt for the next cashier (F12)</source>
      <translation>العودة إلى شاشة الرمز السري لأمين الصندوق التالي (F12)</translation>
    </message>
  </context>
  <context>
    <name>MatchingView</name>
    <message>
      <source>Customers found (%1)</source>
      <translation>العملاء الذين عُثر عليهم (%1)</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>الرقم</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>VIPs waiting for a shopper (%1)</source>
      <translation>عملاء كبار بانتظار متسوق (%1)</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>اللغة</translation>
    </message>
    <message>
      <source>Tier</source>
      <translation>المستوى</translation>
    </message>
    <message>
      <source>Why</source>
      <translation>السبب</translation>
    </message>
    <message>
      <source>%1 is inactive</source>
      <translation>%1 غير نشط</translation>
    </message>
    <message>
      <source>New VIP</source>
      <translation>عميل كبير جديد</translation>
    </message>
    <message>
      <source>Choose a VIP from the queue</source>
      <translation>اختر عميلًا كبيرًا من قائمة الانتظار</translation>
    </message>
    <message>
      <source>Or find any customer above to transfer them to another shopper (Enter searches).</source>
      <translation>أو ابحث أعلاه عن أي عميل لنقله إلى متسوق آخر (Enter للبحث).</translation>
    </message>
    <message>
      <source>Shopper: %1</source>
      <translation>المتسوق: %1</translation>
    </message>
    <message>
      <source>No shopper yet</source>
      <translation>بلا متسوق بعد</translation>
    </message>
    <message>
      <source>Not a VIP</source>
      <translation>ليس عميلًا كبيرًا</translation>
    </message>
    <message>
      <source>%1 of %2</source>
      <translation>%1 من %2</translation>
    </message>
    <message>
      <source>Full: %1</source>
      <translation>مكتمل: %1</translation>
    </message>
    <message>
      <source>Assigned to %1.</source>
      <translation>تم التعيين إلى %1.</translation>
    </message>
    <message>
      <source>Transferred to %1.</source>
      <translation>تم النقل إلى %1.</translation>
    </message>
    <message>
      <source>The customer has no personal shopper now.</source>
      <translation>لم يعد للعميل متسوق شخصي الآن.</translation>
    </message>
    <message>
      <source>Find any customer to transfer (name, mobile, number) and press Enter</source>
      <translation>ابحث عن أي عميل لنقله (الاسم أو الجوال أو الرقم) ثم اضغط Enter</translation>
    </message>
    <message>
      <source>#</source>
      <translation>#</translation>
    </message>
    <message>
      <source>Shopper</source>
      <translation>المتسوق</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>VIPs</source>
      <translation>العملاء الكبار</translation>
    </message>
    <message>
      <source>Languages</source>
      <translation>اللغات</translation>
    </message>
    <message>
      <source>Specialties</source>
      <translation>التخصصات</translation>
    </message>
    <message>
      <source>Override capacity</source>
      <translation>تجاوز السعة</translation>
    </message>
    <message>
      <source>Reason (needed to transfer, remove or override)</source>
      <translation>السبب (مطلوب للنقل أو الإزالة أو التجاوز)</translation>
    </message>
    <message>
      <source>Assign</source>
      <translation>تعيين</translation>
    </message>
    <message>
      <source>Transfer</source>
      <translation>نقل</translation>
    </message>
    <message>
      <source>Remove shopper</source>
      <translation>إزالة المتسوق</translation>
    </message>
  </context>
  <context>
    <name>MyVipsPage</name>
    <message>
      <source>VIP customers</source>
      <translation>كبار العملاء</translation>
    </message>
    <message>
      <source>My VIPs</source>
      <translation>عملائي الكبار</translation>
    </message>
    <message>
      <source>Loading…</source>
      <translation>جارٍ التحميل…</translation>
    </message>
    <message>
      <source>%1 · %2 of %3 VIP customers · %4 visits in the last 30 days</source>
      <translation>%1 · %2 من %3 عملاء كبار · %4 زيارات في آخر 30 يومًا</translation>
    </message>
    <message>
      <source>Inactive</source>
      <translation>غير نشطة</translation>
    </message>
    <message>
      <source>No VIP customers are assigned to this shopper yet.</source>
      <translation>لم يُعيَّن أي عميل كبير لهذا المتسوق بعد.</translation>
    </message>
    <message>
      <source>Overdue: %1</source>
      <translation>متأخرة: %1</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>اليوم</translation>
    </message>
    <message>
      <source>Follow-ups due today (%1)</source>
      <translation>متابعات مستحقة اليوم (%1)</translation>
    </message>
    <message>
      <source>No longer VIP</source>
      <translation>لم يعد عميلًا كبيرًا</translation>
    </message>
    <message>
      <source>Never</source>
      <translation>لم يزر بعد</translation>
    </message>
    <message>
      <source>Birthday %1</source>
      <translation>تاريخ الميلاد %1</translation>
    </message>
    <message>
      <source>%1 years with us on %2</source>
      <translation>%1 سنوات معنا في %2</translation>
    </message>
    <message>
      <source>Choose a VIP to see them at a glance. Enter or F2 logs a visit.</source>
      <translation>اختر عميلًا كبيرًا لتراه بلمحة. يسجّل Enter أو F2 زيارة.</translation>
    </message>
    <message>
      <source>Likes: %1</source>
      <translation>يفضّل: %1</translation>
    </message>
    <message>
      <source>With you since %1</source>
      <translation>معك منذ %1</translation>
    </message>
    <message>
      <source>Recent visits</source>
      <translation>الزيارات الأخيرة</translation>
    </message>
    <message>
      <source>No visit logged yet.</source>
      <translation>لم تُسجَّل أي زيارة بعد.</translation>
    </message>
    <message>
      <source>Visit saved and flagged: the customer is not a VIP.</source>
      <translation>حُفظت الزيارة مع تنبيه: العميل ليس من كبار العملاء.</translation>
    </message>
    <message>
      <source>Visit saved.</source>
      <translation>حُفظت الزيارة.</translation>
    </message>
    <message>
      <source>Follow-up marked done.</source>
      <translation>تم إنجاز المتابعة.</translation>
    </message>
    <message>
      <source>Filter by name, number or mobile (Ctrl+F)</source>
      <translation>تصفية بالاسم أو الرقم أو الجوال (Ctrl+F)</translation>
    </message>
    <message>
      <source>Log a visit (F2)</source>
      <translation>تسجيل زيارة (F2)</translation>
    </message>
    <message>
      <source>Mark done</source>
      <translation>تم الإنجاز</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Tier</source>
      <translation>المستوى</translation>
    </message>
    <message>
      <source>Last visit</source>
      <translation>آخر زيارة</translation>
    </message>
    <message>
      <source>Coming up</source>
      <translation>مناسبات قادمة</translation>
    </message>
    <message>
      <source>Follow-ups</source>
      <translation>المتابعات</translation>
    </message>
    <message>
      <source>Likes</source>
      <translation>يفضّل</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>الموعد</translation>
    </message>
    <message>
      <source>To do</source>
      <translation>المطلوب</translation>
    </message>
  </context>
  <context>
    <name>OfflineExceptionsPage</name>
    <message>
      <source>Clock corrected</source>
      <translation>تصحيح الساعة</translation>
    </message>
    <message>
      <source>Card refunded beyond what was paid with it</source>
      <translation>بطاقة رُدّ إليها أكثر مما دُفع بها</translation>
    </message>
    <message>
      <source>Receipt returned beyond what was sold</source>
      <translation>إيصال أُرجع منه أكثر مما بيع</translation>
    </message>
    <message>
      <source>Gift card overspent</source>
      <translation>تجاوز رصيد بطاقة الهدايا</translation>
    </message>
    <message>
      <source>Points overspent</source>
      <translation>تجاوز رصيد النقاط</translation>
    </message>
    <message>
      <source>Offline exceptions</source>
      <translation>استثناءات دون اتصال</translation>
    </message>
    <message>
      <source>Redemptions taken offline are never undone: when head office finds that one took a card or points account below zero, it is listed here. The loss is limited by the offline allowance.</source>
      <translation>لا تُلغى عمليات استخدام الرصيد التي تمت دون اتصال: عندما يجد المكتب الرئيسي أن إحداها أنزلت رصيد بطاقة أو حساب نقاط دون الصفر، تُدرج هنا. والخسارة محدودة بحد العمل دون اتصال.</translation>
    </message>
    <message>
      <source>Head office has reported no exceptions for this branch.</source>
      <translation>لم يُبلغ المكتب الرئيسي عن أي استثناءات لهذا الفرع.</translation>
    </message>
    <message>
      <source>Found</source>
      <translation>تاريخ الاكتشاف</translation>
    </message>
    <message>
      <source>What</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>المبلغ</translation>
    </message>
    <message>
      <source>Balance after</source>
      <translation>الرصيد بعدها</translation>
    </message>
    <message>
      <source>Card or account</source>
      <translation>البطاقة أو الحساب</translation>
    </message>
  </context>
  <context>
    <name>OrderDialog</name>
    <message>
      <source>Choose how many of each item come back.</source>
      <translation>اختر عدد القطع المُرجعة من كل صنف.</translation>
    </message>
    <message numerus="yes">
      <source>Return %n item(s) from order %1?</source>
      <translation>
        <numerusform>إرجاع %n قطعة من الطلب %1؟</numerusform>
        <numerusform>إرجاع قطعة واحدة من الطلب %1؟</numerusform>
        <numerusform>إرجاع قطعتين من الطلب %1؟</numerusform>
        <numerusform>إرجاع %n قطع من الطلب %1؟</numerusform>
        <numerusform>إرجاع %n قطعة من الطلب %1؟</numerusform>
        <numerusform>إرجاع %n قطعة من الطلب %1؟</numerusform>
      </translation>
    </message>
    <message>
      <source>Return</source>
      <translation>إرجاع</translation>
    </message>
    <message>
      <source>Give back: %1</source>
      <translation>يُعاد للعميل: %1</translation>
    </message>
    <message>
      <source>%1 kept for points already spent from this purchase.</source>
      <translation>احتُجز %1 مقابل نقاط من هذا الشراء سبق صرفها.</translation>
    </message>
    <message>
      <source>Return recorded.</source>
      <translation>تم تسجيل الإرجاع.</translation>
    </message>
    <message>
      <source>Order %1</source>
      <translation>الطلب %1</translation>
    </message>
    <message>
      <source>Return goods</source>
      <translation>إرجاع البضاعة</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>Bought</source>
      <translation>المشترى</translation>
    </message>
    <message>
      <source>Can return</source>
      <translation>يمكن إرجاعه</translation>
    </message>
    <message>
      <source>Return now</source>
      <translation>يُرجع الآن</translation>
    </message>
    <message>
      <source>Reason (optional)</source>
      <translation>السبب (اختياري)</translation>
    </message>
    <message>
      <source>Return selected items</source>
      <translation>إرجاع القطع المختارة</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>إغلاق</translation>
    </message>
  </context>
  <context>
    <name>PerformanceView</name>
    <message>
      <source>Inactive</source>
      <translation>غير نشطة</translation>
    </message>
    <message>
      <source>%1 of %2</source>
      <translation>%1 من %2</translation>
    </message>
    <message>
      <source>%1% (%2 of %3)</source>
      <translation>%1% (%2 من %3)</translation>
    </message>
    <message>
      <source>VIPs, visits and retention by shopper</source>
      <translation>العملاء الكبار والزيارات والاحتفاظ لكل متسوق</translation>
    </message>
    <message>
      <source>VIPs assigned</source>
      <translation>العملاء الكبار المعيَّنون</translation>
    </message>
    <message>
      <source>Visits</source>
      <translation>الزيارات</translation>
    </message>
    <message>
      <source>Retention %</source>
      <translation>نسبة الاحتفاظ %</translation>
    </message>
    <message>
      <source>Last %1 days</source>
      <translation>آخر %1 يومًا</translation>
    </message>
    <message>
      <source>Sales count the purchases of each shopper's VIPs made while with that shopper. Retention is the share of their VIPs who bought in the last %1 days.</source>
      <translation>تحتسب المبيعات مشتريات العملاء الكبار لكل متسوق خلال فترة تعيينهم لديه. الاحتفاظ هو نسبة عملائه الكبار الذين اشتروا في آخر %1 يومًا.</translation>
    </message>
    <message>
      <source>Shopper</source>
      <translation>المتسوق</translation>
    </message>
    <message>
      <source>VIPs</source>
      <translation>العملاء الكبار</translation>
    </message>
    <message>
      <source>Sales</source>
      <translation>المبيعات</translation>
    </message>
    <message>
      <source>Retention</source>
      <translation>الاحتفاظ</translation>
    </message>
    <message>
      <source>Sales per VIP</source>
      <translation>المبيعات لكل عميل كبير</translation>
    </message>
  </context>
  <context>
    <name>Receipt</name>
    <message>
      <source>Return receipt</source>
      <translation>إيصال إرجاع</translation>
    </message>
    <message>
      <source>Sale receipt</source>
      <translation>إيصال بيع</translation>
    </message>
    <message>
      <source>Net</source>
      <translation>الصافي</translation>
    </message>
    <message>
      <source>VAT 5 %</source>
      <translation>ضريبة القيمة المضافة 5 ٪</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>الإجمالي</translation>
    </message>
    <message>
      <source>Change</source>
      <translation>الباقي</translation>
    </message>
    <message>
      <source>Points used: %1</source>
      <translation>النقاط المستخدمة: %1</translation>
    </message>
    <message>
      <source>Points given back: %1</source>
      <translation>النقاط المُعادة: %1</translation>
    </message>
    <message>
      <source>Points earned: %1</source>
      <translation>النقاط المكتسبة: %1</translation>
    </message>
    <message>
      <source>Points taken back: %1</source>
      <translation>النقاط المسحوبة: %1</translation>
    </message>
    <message>
      <source>Tier bonus: %1</source>
      <translation>مكافأة المستوى: %1</translation>
    </message>
    <message>
      <source>Customer: %1</source>
      <translation>العميل: %1</translation>
    </message>
  </context>
  <context>
    <name>ResultsModel</name>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>الجوال</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>الرقم</translation>
    </message>
  </context>
  <context>
    <name>RewardsPage</name>
    <message>
      <source>Unlimited</source>
      <translation>غير محدود</translation>
    </message>
    <message>
      <source>Always</source>
      <translation>دائمًا</translation>
    </message>
    <message>
      <source>Saved.</source>
      <translation>تم الحفظ.</translation>
    </message>
    <message>
      <source>Check the fields marked in red.</source>
      <translation>راجع الحقول المعلَّمة باللون الأحمر.</translation>
    </message>
    <message>
      <source>Reward image</source>
      <translation>صورة المكافأة</translation>
    </message>
    <message>
      <source>Images (*.png *.jpg *.jpeg *.webp)</source>
      <translation>الصور (*.png *.jpg *.jpeg *.webp)</translation>
    </message>
    <message>
      <source>No image</source>
      <translation>بلا صورة</translation>
    </message>
    <message>
      <source>New reward</source>
      <translation>مكافأة جديدة</translation>
    </message>
    <message>
      <source>Edit %1</source>
      <translation>تعديل %1</translation>
    </message>
    <message>
      <source>Reward catalog</source>
      <translation>كتالوج المكافآت</translation>
    </message>
    <message>
      <source>Filter by code or name</source>
      <translation>تصفية بالرمز أو الاسم</translation>
    </message>
    <message>
      <source>All rewards</source>
      <translation>كل المكافآت</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>نشطة</translation>
    </message>
    <message>
      <source>Inactive</source>
      <translation>غير نشطة</translation>
    </message>
    <message>
      <source>Out of stock</source>
      <translation>نفد المخزون</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>الرمز</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>Stock</source>
      <translation>المخزون</translation>
    </message>
    <message>
      <source>Claimed</source>
      <translation>مُستبدلة</translation>
    </message>
    <message>
      <source>Dates</source>
      <translation>التواريخ</translation>
    </message>
    <message>
      <source>Name (English)</source>
      <translation>الاسم (بالإنجليزية)</translation>
    </message>
    <message>
      <source>Name (Arabic)</source>
      <translation>الاسم (بالعربية)</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Per customer</source>
      <translation>لكل عميل</translation>
    </message>
    <message>
      <source>Tiers (none: all)</source>
      <translation>المستويات (بلا اختيار: الكل)</translation>
    </message>
    <message>
      <source>Segments (none: all)</source>
      <translation>الفئات (بلا اختيار: الكل)</translation>
    </message>
    <message>
      <source>From</source>
      <translation>من</translation>
    </message>
    <message>
      <source>Until</source>
      <translation>حتى</translation>
    </message>
    <message>
      <source>Image</source>
      <translation>الصورة</translation>
    </message>
    <message>
      <source>Offered</source>
      <translation>معروضة</translation>
    </message>
    <message>
      <source>No limit</source>
      <translation>بلا حد</translation>
    </message>
    <message>
      <source>Starts on</source>
      <translation>تبدأ في</translation>
    </message>
    <message>
      <source>Ends on</source>
      <translation>تنتهي في</translation>
    </message>
    <message>
      <source>Choose…</source>
      <translation>اختيار…</translation>
    </message>
    <message>
      <source>Offered to customers</source>
      <translation>معروضة للعملاء</translation>
    </message>
    <message>
      <source>Save reward</source>
      <translation>حفظ المكافأة</translation>
    </message>
    <message>
      <source>Rewards</source>
      <translation>المكافآت</translation>
    </message>
  </context>
  <context>
    <name>SalePage</name>
    <message>
      <source>Walk-in customer: no points are earned.</source>
      <translation>عميل عابر: لا تُكتسب نقاط.</translation>
    </message>
    <message>
      <source>%1 points</source>
      <translation>%1 نقطة</translation>
    </message>
    <message>
      <source>Return</source>
      <translation>إرجاع</translation>
    </message>
    <message>
      <source>Sale</source>
      <translation>البيع</translation>
    </message>
    <message>
      <source>Net %1</source>
      <translation>الصافي %1</translation>
    </message>
    <message>
      <source>VAT 5 % %1</source>
      <translation>الضريبة 5 ٪ %1</translation>
    </message>
    <message>
      <source>Total %1</source>
      <translation>الإجمالي %1</translation>
    </message>
    <message>
      <source>Add the first product.</source>
      <translation>أضف أول منتج.</translation>
    </message>
    <message>
      <source>Walk-in: this sale earns no points.</source>
      <translation>عميل عابر: لا يكسب هذا البيع نقاطًا.</translation>
    </message>
    <message>
      <source>This sale earns %1 points.</source>
      <translation>يكسب هذا البيع %1 نقطة.</translation>
    </message>
    <message>
      <source>Still to pay %1</source>
      <translation>المتبقي للدفع %1</translation>
    </message>
    <message>
      <source>Change %1</source>
      <translation>الباقي %1</translation>
    </message>
    <message>
      <source>Holds %1 points; 100 points pay %2; at least %3 at a time.</source>
      <translation>لديه %1 نقطة؛ كل 100 نقطة تساوي %2؛ والحد الأدنى %3 في المرة.</translation>
    </message>
    <message>
      <source>Choose a customer to use points.</source>
      <translation>اختر عميلًا لاستخدام النقاط.</translation>
    </message>
    <message>
      <source>Record this sale of %1?</source>
      <translation>تسجيل هذا البيع بقيمة %1؟</translation>
    </message>
    <message>
      <source>Complete sale</source>
      <translation>إتمام البيع</translation>
    </message>
    <message>
      <source>Points balance now: %1</source>
      <translation>رصيد النقاط الآن: %1</translation>
    </message>
    <message>
      <source>Welcome to %1!</source>
      <translation>مرحبًا بك في الفئة %1!</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Find the customer: name, mobile or customer number</source>
      <translation>ابحث عن العميل: الاسم أو الجوال أو رقم العميل</translation>
    </message>
    <message>
      <source>Walk-in</source>
      <translation>عميل عابر</translation>
    </message>
    <message>
      <source>Orders and returns</source>
      <translation>الطلبات والمرتجعات</translation>
    </message>
    <message>
      <source>Receipt number</source>
      <translation>رقم الإيصال</translation>
    </message>
    <message>
      <source>Open order</source>
      <translation>فتح الطلب</translation>
    </message>
    <message>
      <source>Add a product</source>
      <translation>إضافة منتج</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>SKU</source>
      <translation>رمز المنتج</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>Brand</source>
      <translation>العلامة التجارية</translation>
    </message>
    <message>
      <source>Family</source>
      <translation>العائلة العطرية</translation>
    </message>
    <message>
      <source>Size (ml)</source>
      <translation>الحجم (مل)</translation>
    </message>
    <message>
      <source>Qty</source>
      <translation>الكمية</translation>
    </message>
    <message>
      <source>Unit price</source>
      <translation>سعر الوحدة</translation>
    </message>
    <message>
      <source>Choose from the list, or type below…</source>
      <translation>اختر من القائمة، أو اكتب أدناه…</translation>
    </message>
    <message>
      <source>AED, before VAT</source>
      <translation>بالدرهم، قبل الضريبة</translation>
    </message>
    <message>
      <source>Add line</source>
      <translation>إضافة سطر</translation>
    </message>
    <message>
      <source>Lines</source>
      <translation>الأسطر</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>الحجم</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>الوحدة</translation>
    </message>
    <message>
      <source>With VAT</source>
      <translation>مع الضريبة</translation>
    </message>
    <message>
      <source>Remove line</source>
      <translation>حذف السطر</translation>
    </message>
    <message>
      <source>Totals</source>
      <translation>الإجماليات</translation>
    </message>
    <message>
      <source>Payment</source>
      <translation>الدفع</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>نقدًا</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>بطاقة</translation>
    </message>
    <message>
      <source>Gift card (code, amount)</source>
      <translation>بطاقة الهدايا (الرمز، المبلغ)</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>Rest by card</source>
      <translation>الباقي بالبطاقة</translation>
    </message>
    <message>
      <source>Rest in cash</source>
      <translation>الباقي نقدًا</translation>
    </message>
    <message>
      <source>Complete sale (Ctrl+Enter)</source>
      <translation>إتمام البيع (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>Receipt</source>
      <translation>الإيصال</translation>
    </message>
    <message>
      <source>New sale</source>
      <translation>بيع جديد</translation>
    </message>
    <message>
      <source>Returns are taken from the order's detail.</source>
      <translation>تُسجَّل المرتجعات من تفاصيل الطلب.</translation>
    </message>
    <message>
      <source>Sale recorded: %1, receipt %2.</source>
      <translation>تم تسجيل البيع: %1، الإيصال %2.</translation>
    </message>
    <message>
      <source>Scan</source>
      <translation>المسح</translation>
    </message>
    <message>
      <source>Barcode or SKU, then Enter</source>
      <translation>الباركود أو رمز المنتج، ثم Enter</translation>
    </message>
    <message>
      <source>No lines yet: choose a product above, or type one in.</source>
      <translation>لا توجد أسطر بعد: اختر منتجًا من الأعلى، أو اكتبه يدويًا.</translation>
    </message>
    <message>
      <source>%1: %2 bonus points</source>
      <translation>%1: %2 نقطة إضافية</translation>
    </message>
    <message>
      <source>%1: %2 off</source>
      <translation>%1: خصم %2</translation>
    </message>
    <message>
      <source>Offer code</source>
      <translation>رمز العرض</translation>
    </message>
    <message>
      <source>Offer code (Ctrl+K)</source>
      <translation>رمز العرض (Ctrl+K)</translation>
    </message>
    <message>
      <source>Apply</source>
      <translation>تطبيق</translation>
    </message>
    <message>
      <source>Net %1 (offer −%2)</source>
      <translation>الصافي %1 (العرض −%2)</translation>
    </message>
    <message>
      <source>Feedback saved.</source>
      <translation>حُفظ رأي العميل.</translation>
    </message>
    <message>
      <source>Feedback saved: %1 points for the customer.</source>
      <translation>حُفظ رأي العميل: %1 نقطة للعميل.</translation>
    </message>
    <message>
      <source>Customer feedback (Ctrl+R)</source>
      <translation>رأي العميل (Ctrl+R)</translation>
    </message>
    <message>
      <source>Choose the customer first: a ticket needs someone to follow up with.</source>
      <translation>اختر العميل أولًا: التذكرة تحتاج إلى شخص نتابع معه.</translation>
    </message>
    <message>
      <source>Ticket %1 opened.</source>
      <translation>فُتحت التذكرة %1.</translation>
    </message>
  </context>
  <context>
    <name>ShoppersView</name>
    <message>
      <source>%1 of %2</source>
      <translation>%1 من %2</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>نشطة</translation>
    </message>
    <message>
      <source>Inactive</source>
      <translation>غير نشطة</translation>
    </message>
    <message>
      <source>New shopper profile</source>
      <translation>ملف متسوق جديد</translation>
    </message>
    <message>
      <source>Every personal shopper on the staff list has a profile.</source>
      <translation>لكل متسوق شخصي في قائمة الموظفين ملف بالفعل.</translation>
    </message>
    <message>
      <source>Saved.</source>
      <translation>تم الحفظ.</translation>
    </message>
    <message>
      <source>Shopper</source>
      <translation>المتسوق</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Languages</source>
      <translation>اللغات</translation>
    </message>
    <message>
      <source>Specialties</source>
      <translation>التخصصات</translation>
    </message>
    <message>
      <source>Years</source>
      <translation>السنوات</translation>
    </message>
    <message>
      <source>VIPs</source>
      <translation>العملاء الكبار</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Staff member</source>
      <translation>الموظف</translation>
    </message>
    <message>
      <source>Years of experience</source>
      <translation>سنوات الخبرة</translation>
    </message>
    <message>
      <source>Capacity (VIP customers)</source>
      <translation>السعة (عملاء كبار)</translation>
    </message>
    <message>
      <source>Active: can take customers and log visits</source>
      <translation>نشط: يستقبل العملاء ويسجّل الزيارات</translation>
    </message>
    <message>
      <source>New profile</source>
      <translation>ملف جديد</translation>
    </message>
    <message>
      <source>Save profile</source>
      <translation>حفظ الملف</translation>
    </message>
  </context>
  <context>
    <name>SignInPage</name>
    <message>
      <source>Sign in</source>
      <translation>تسجيل الدخول</translation>
    </message>
    <message>
      <source>Type your PIN and press Enter</source>
      <translation>اكتب رمزك السري واضغط Enter</translation>
    </message>
    <message>
      <source>Type your PIN.</source>
      <translation>اكتب رمزك السري.</translation>
    </message>
    <message>
      <source>Choose your name in the list of managers.</source>
      <translation>اختر اسمك من قائمة المديرين.</translation>
    </message>
    <message>
      <source>Your &amp;PIN</source>
      <translation>&amp;رمزك السري</translation>
    </message>
    <message>
      <source>A manager can unlock this till: choose your name, then type your PIN.</source>
      <translation>يمكن للمدير فتح قفل نقطة البيع هذه: اختر اسمك، ثم اكتب رمزك السري.</translation>
    </message>
    <message>
      <source>Manager's PIN</source>
      <translation>الرمز السري للمدير</translation>
    </message>
    <message>
      <source>Unlock the till</source>
      <translation>فتح قفل نقطة البيع</translation>
    </message>
    <message>
      <source>Demo store — PINs: cashiers 1111 and 1112, personal shoppers 2222 and 2223, manager 3333, administrator 4444.</source>
      <translation>متجر تجريبي — الرموز السرية: أمناء الصندوق 1111 و1112، المتسوقون الشخصيون 2222 و2223، المدير 3333، مسؤول النظام 4444.</translation>
    </message>
  </context>
  <context>
    <name>StaffPage</name>
    <message>
      <source>Locked until %1</source>
      <translation>مقفل حتى %1</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>نشط</translation>
    </message>
    <message>
      <source>Staff of this branch</source>
      <translation>موظفو هذا الفرع</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>الدور</translation>
    </message>
    <message>
      <source>Sign-in</source>
      <translation>الدخول</translation>
    </message>
    <message>
      <source>%1 can sign in again.</source>
      <translation>يمكن لـ %1 تسجيل الدخول مجددًا.</translation>
    </message>
    <message>
      <source>Unlock sign-in</source>
      <translation>إلغاء قفل تسجيل الدخول</translation>
    </message>
  </context>
  <context>
    <name>VipServicePage</name>
    <message>
      <source>VIP service</source>
      <translation>خدمة كبار العملاء</translation>
    </message>
    <message>
      <source>Matching queue</source>
      <translation>قائمة المطابقة</translation>
    </message>
    <message>
      <source>Shoppers</source>
      <translation>المتسوقون</translation>
    </message>
    <message>
      <source>Follow-ups</source>
      <translation>المتابعات</translation>
    </message>
    <message>
      <source>Performance</source>
      <translation>الأداء</translation>
    </message>
  </context>
  <context>
    <name>VisitDialog</name>
    <message>
      <source>No purchase recorded</source>
      <translation>لم تُسجَّل عملية شراء</translation>
    </message>
    <message>
      <source>%1 · %2 · %3 · %4</source>
      <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
      <source>Check the fields marked in red.</source>
      <translation>راجع الحقول المعلَّمة باللون الأحمر.</translation>
    </message>
    <message>
      <source>Log a VIP visit</source>
      <translation>تسجيل زيارة عميل كبير</translation>
    </message>
    <message>
      <source>This customer is not a VIP. The visit will be kept and flagged for the manager.</source>
      <translation>هذا العميل ليس من كبار العملاء. ستُحفظ الزيارة مع تنبيه للمدير.</translation>
    </message>
    <message>
      <source>When and how long</source>
      <translation>الموعد والمدة</translation>
    </message>
    <message>
      <source>Tried</source>
      <translation>جرّب</translation>
    </message>
    <message>
      <source>Purchase</source>
      <translation>عملية الشراء</translation>
    </message>
    <message>
      <source>Bought</source>
      <translation>المشترى</translation>
    </message>
    <message>
      <source>Mood</source>
      <translation>الانطباع</translation>
    </message>
    <message>
      <source>Reactions and notes</source>
      <translation>الانطباعات والملاحظات</translation>
    </message>
    <message>
      <source>Next follow-up</source>
      <translation>المتابعة التالية</translation>
    </message>
    <message>
      <source>minutes</source>
      <translation>دقيقة</translation>
    </message>
    <message>
      <source>Products tried, separated by commas</source>
      <translation>المنتجات التي جرّبها، مفصولة بفواصل</translation>
    </message>
    <message>
      <source>Products bought, separated by commas</source>
      <translation>المنتجات المشتراة، مفصولة بفواصل</translation>
    </message>
    <message>
      <source>What they liked, disliked, asked for…</source>
      <translation>ما أعجبه وما لم يعجبه وما طلبه…</translation>
    </message>
    <message>
      <source>Follow up on</source>
      <translation>المتابعة في</translation>
    </message>
    <message>
      <source>What to do (call, send photos, invite…)</source>
      <translation>المطلوب (اتصال، إرسال صور، دعوة…)</translation>
    </message>
    <message>
      <source>Saved on this till at once; sent to head office when connected.</source>
      <translation>تُحفظ فورًا على هذا الجهاز، وتُرسل إلى المكتب الرئيسي عند الاتصال.</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
    <message>
      <source>Save visit (Ctrl+Enter)</source>
      <translation>حفظ الزيارة (Ctrl+Enter)</translation>
    </message>
  </context>
  <context>
    <name>Workspace</name>
    <message>
      <source>Customers</source>
      <translation>العملاء</translation>
    </message>
    <message>
      <source>Sync</source>
      <translation>المزامنة</translation>
    </message>
    <message>
      <source>Staff</source>
      <translation>الموظفون</translation>
    </message>
  </context>
  <context>
    <name>core</name>
    <message>
      <source>This is not a Perfume &amp; Oud gift-card code.</source>
      <extracomment>Where a scanned card's QR points: a phone that scans it opens the balance page of the web shop. Hosts whose URLs may carry one of our codes (compared without a leading "www.").</extracomment>
      <translation>هذا ليس رمز بطاقة هدايا من العطور والعود.</translation>
    </message>
    <message>
      <source>Enter the gift-card code.</source>
      <translation>أدخل رمز بطاقة الهدايا.</translation>
    </message>
    <message>
      <source>A gift-card code has 12 characters after PO-; this one has {length}.</source>
      <translation>رمز بطاقة الهدايا 12 حرفًا بعد PO-، وهذا الرمز فيه {length}.</translation>
    </message>
    <message>
      <source>Gift-card codes never contain 0, 1, O, I or L: check the characters.</source>
      <translation>رموز بطاقات الهدايا لا تحتوي أبدًا على 0 أو 1 أو O أو I أو L: راجع الأحرف.</translation>
    </message>
    <message>
      <source>This code has a typing mistake: check the characters.</source>
      <translation>في هذا الرمز خطأ كتابي: راجع الأحرف.</translation>
    </message>
    <message>
      <source>Your role does not allow this. Ask a manager.</source>
      <translation>دورك لا يسمح بهذا. اطلب من المدير.</translation>
    </message>
    <message>
      <source>A PIN is {min} to {max} digits.</source>
      <translation>الرمز السري من {min} إلى {max} أرقام.</translation>
    </message>
    <message>
      <source>This staff account is disabled.</source>
      <translation>حساب هذا الموظف معطَّل.</translation>
    </message>
    <message>
      <source>Too many wrong PINs. Try again in {minutes} minutes or ask a manager.</source>
      <translation>محاولات خاطئة كثيرة. حاول بعد {minutes} دقيقة أو اطلب من المدير.</translation>
    </message>
    <message>
      <source>Wrong PIN.</source>
      <translation>الرمز السري غير صحيح.</translation>
    </message>
    <message>
      <source>This customer no longer exists.</source>
      <translation>هذا العميل لم يعد موجودًا.</translation>
    </message>
    <message>
      <source>This customer is already on the wait list for {sku}.</source>
      <translation>هذا العميل مُدرج بالفعل في قائمة انتظار {sku}.</translation>
    </message>
    <message>
      <source>This wait-list entry no longer exists.</source>
      <translation>لم يعد هذا الإدراج في قائمة الانتظار موجودًا.</translation>
    </message>
    <message>
      <source>This wait-list entry is no longer waiting.</source>
      <translation>هذا الإدراج في قائمة الانتظار لم يعد قيد الانتظار.</translation>
    </message>
    <message>
      <source>Another customer already has this mobile number. Search for them.</source>
      <translation>رقم الجوال هذا مسجَّل لعميل آخر. ابحث عنه.</translation>
    </message>
    <message>
      <source>Enter the customer's first name in English or Arabic.</source>
      <translation>أدخل الاسم الأول للعميل بالعربية أو الإنجليزية.</translation>
    </message>
    <message>
      <source>Enter the customer's mobile number.</source>
      <translation>أدخل رقم جوال العميل.</translation>
    </message>
    <message>
      <source>Enter an email address such as name@example.com.</source>
      <translation>أدخل بريدًا إلكترونيًا مثل name@example.com.</translation>
    </message>
    <message>
      <source>Choose a segment from the list.</source>
      <translation>اختر فئة من القائمة.</translation>
    </message>
    <message>
      <source>Choose an emirate from the list.</source>
      <translation>اختر إمارة من القائمة.</translation>
    </message>
    <message>
      <source>An amount must be a whole number of fils.</source>
      <translation>يجب أن يكون المبلغ عددًا صحيحًا من الفلوس.</translation>
    </message>
    <message>
      <source>Check the amount: it is above AED 100,000,000.</source>
      <translation>تحقق من المبلغ: إنه أكثر من 100,000,000 درهم.</translation>
    </message>
    <message>
      <source>This must be a whole number.</source>
      <translation>يجب أن يكون هذا عددًا صحيحًا.</translation>
    </message>
    <message>
      <source>Choose a date from the calendar.</source>
      <translation>اختر تاريخًا من التقويم.</translation>
    </message>
    <message>
      <source>This field must be text.</source>
      <translation>يجب أن يكون هذا الحقل نصًا.</translation>
    </message>
    <message>
      <source>This field contains a broken character. Type it again.</source>
      <translation>يحتوي هذا الحقل على حرف تالف. اكتبه مرة أخرى.</translation>
    </message>
    <message>
      <source>This field is one line: remove the line breaks.</source>
      <translation>هذا الحقل سطر واحد: احذف فواصل الأسطر.</translation>
    </message>
    <message>
      <source>A phone number has digits only: remove the letters.</source>
      <translation>رقم الهاتف أرقام فقط: احذف الحروف.</translation>
    </message>
    <message>
      <source>A P.O. Box is digits only.</source>
      <translation>صندوق البريد أرقام فقط.</translation>
    </message>
    <message>
      <source>A birthday cannot be in the future.</source>
      <translation>لا يمكن أن يكون تاريخ الميلاد في المستقبل.</translation>
    </message>
    <message>
      <source>Check the birthday's year.</source>
      <translation>راجع سنة الميلاد.</translation>
    </message>
    <message>
      <source>Choose Arabic or English.</source>
      <translation>اختر العربية أو الإنجليزية.</translation>
    </message>
    <message>
      <source>Choose a channel from the list.</source>
      <translation>اختر وسيلة تواصل من القائمة.</translation>
    </message>
    <message>
      <source>An Emirates ID has 15 digits and starts with 784 (784-YYYY-NNNNNNN-N).</source>
      <translation>رقم الهوية الإماراتية 15 رقمًا ويبدأ بـ 784 (784-YYYY-NNNNNNN-N).</translation>
    </message>
    <message>
      <source>This Emirates ID number is not valid: check the digits.</source>
      <translation>رقم الهوية الإماراتية غير صحيح: راجع الأرقام.</translation>
    </message>
    <message>
      <source>Enter an amount.</source>
      <translation>أدخل مبلغًا.</translation>
    </message>
    <message>
      <source>Enter an amount in dirhams, such as 250 or 250.50.</source>
      <translation>أدخل المبلغ بالدرهم، مثل 250 أو 250.50.</translation>
    </message>
    <message>
      <source>Enter a phone number such as 050 123 4567 or +971 50 123 4567.</source>
      <translation>أدخل رقم هاتف مثل 050 123 4567 أو ‎+971 50 123 4567.</translation>
    </message>
    <message>
      <source>This phone number is not valid. Check the digits and the country code.</source>
      <translation>رقم الهاتف هذا غير صحيح. راجع الأرقام ورمز الدولة.</translation>
    </message>
    <message>
      <source>Enter a UAE mobile number (it starts with 05).</source>
      <translation>أدخل رقم جوال إماراتيًا (يبدأ بـ 05).</translation>
    </message>
    <message>
      <source>This staff account no longer exists.</source>
      <translation>حساب هذا الموظف لم يعد موجودًا.</translation>
    </message>
    <message>
      <source>Only staff with the personal shopper role can have a shopper profile.</source>
      <translation>لا يملك ملف متسوق إلا الموظفون بدور المتسوق الشخصي.</translation>
    </message>
    <message>
      <source>This staff member already has a shopper profile.</source>
      <translation>لهذا الموظف ملف متسوق بالفعل.</translation>
    </message>
    <message>
      <source>This customer is already with this shopper.</source>
      <translation>هذا العميل لدى هذا المتسوق بالفعل.</translation>
    </message>
    <message>
      <source>This customer already has a personal shopper. Use Transfer to change shopper.</source>
      <translation>لهذا العميل متسوق شخصي بالفعل. استخدم النقل لتغيير المتسوق.</translation>
    </message>
    <message>
      <source>This customer has no personal shopper yet. Use Assign instead.</source>
      <translation>ليس لهذا العميل متسوق شخصي بعد. استخدم التعيين بدلًا من ذلك.</translation>
    </message>
    <message>
      <source>This customer has no personal shopper.</source>
      <translation>ليس لهذا العميل متسوق شخصي.</translation>
    </message>
    <message>
      <source>{name} is an inactive shopper: a manager must reactivate them first.</source>
      <translation>{name} متسوق غير نشط: يجب أن يعيد المدير تفعيله أولًا.</translation>
    </message>
    <message>
      <source>This purchase is not one of this customer's orders.</source>
      <translation>عملية الشراء هذه ليست من طلبات هذا العميل.</translation>
    </message>
    <message>
      <source>Mark the follow-up done or cancelled.</source>
      <translation>حدّد المتابعة كمنجزة أو ملغاة.</translation>
    </message>
    <message>
      <source>This follow-up no longer exists.</source>
      <translation>هذه المتابعة لم تعد موجودة.</translation>
    </message>
    <message>
      <source>This follow-up belongs to another shopper's customer.</source>
      <translation>هذه المتابعة تخص عميل متسوق آخر.</translation>
    </message>
    <message>
      <source>This follow-up is already closed.</source>
      <translation>هذه المتابعة مغلقة بالفعل.</translation>
    </message>
    <message>
      <source>This personal shopper no longer exists.</source>
      <translation>هذا المتسوق الشخصي لم يعد موجودًا.</translation>
    </message>
    <message>
      <source>You have no personal shopper profile. Ask a manager to create one.</source>
      <translation>ليس لديك ملف متسوق شخصي. اطلب من المدير إنشاءه.</translation>
    </message>
    <message>
      <source>A shopper sees only their own VIP customers.</source>
      <translation>يرى المتسوق الشخصي عملاءه الكبار فقط.</translation>
    </message>
    <message>
      <source>Only VIP customers (VIP segment or Diamond tier) are given a personal shopper.</source>
      <translation>يُخصَّص المتسوق الشخصي لكبار العملاء فقط (فئة كبار العملاء أو المستوى الماسي).</translation>
    </message>
    <message>
      <source>{name} is an inactive shopper and cannot take customers.</source>
      <translation>{name} متسوق غير نشط ولا يمكنه استقبال عملاء.</translation>
    </message>
    <message>
      <source>{name} is full ({load} of {capacity} VIP customers). A manager can override capacity with a reason.</source>
      <translation>{name} مكتمل ({load} من {capacity} من العملاء الكبار). يمكن للمدير تجاوز السعة مع ذكر السبب.</translation>
    </message>
    <message>
      <source>Wrong PIN. {left} attempts left before the account locks.</source>
      <translation>الرمز السري غير صحيح. بقيت {left} محاولات قبل قفل الحساب.</translation>
    </message>
    <message>
      <source>This field is required.</source>
      <translation>هذا الحقل مطلوب.</translation>
    </message>
    <message>
      <source>Remove the hidden text-direction characters (such as U+202E) from this field.</source>
      <translation>احذف رموز اتجاه النص المخفية (مثل U+202E) من هذا الحقل.</translation>
    </message>
    <message>
      <source>This field contains control characters.</source>
      <translation>يحتوي هذا الحقل على رموز تحكم غير مسموحة.</translation>
    </message>
    <message>
      <source>Too long: at most {max} characters, this has {length}.</source>
      <translation>النص طويل جدًا: الحد الأقصى {max} حرفًا، وهذا فيه {length}.</translation>
    </message>
    <message>
      <source>The database file {path} is damaged or is not a store of this app.</source>
      <translation>ملف قاعدة البيانات {path} تالف أو ليس قاعدة بيانات لهذا التطبيق.</translation>
    </message>
    <message>
      <source>The store {path} cannot be decrypted with the key this computer holds for it: the key is wrong or the file is damaged. Nothing was changed; restore the store from a backup made on this computer.</source>
      <translation>تعذّر فك تشفير قاعدة البيانات {path} بالمفتاح المحفوظ لها على هذا الجهاز: المفتاح خاطئ أو الملف تالف. لم يُغيَّر شيء؛ استرجع قاعدة البيانات من نسخة احتياطية أُخذت على هذا الجهاز.</translation>
    </message>
    <message>
      <source>The store {path} is encrypted and its key is not on this computer (was the file copied from another till?). Open it on the computer that made it, or bring that computer's key for it back into this computer's keyring or key folder ({folder}). Nothing was changed.</source>
      <translation>قاعدة البيانات {path} مشفّرة ومفتاحها غير موجود على هذا الجهاز (هل نُسخ الملف من جهاز نقطة بيع آخر؟). افتحها على الجهاز الذي أنشأها، أو أعِد مفتاحها من ذلك الجهاز إلى سلسلة مفاتيح هذا الجهاز أو إلى مجلد المفاتيح ({folder}). لم يُغيَّر شيء.</translation>
    </message>
    <message>
      <source>The database {path} is in use by another program. Close it and start again.</source>
      <translation>قاعدة البيانات {path} مستخدمة من برنامج آخر. أغلقه وأعد التشغيل.</translation>
    </message>
    <message>
      <source>The database {path} cannot be opened: {reason}</source>
      <translation>تعذّر فتح قاعدة البيانات {path}: {reason}</translation>
    </message>
    <message>
      <source>This database was made by a newer version of the app (schema {revision}). Update the app.</source>
      <translation>أُنشئت قاعدة البيانات هذه بإصدار أحدث من التطبيق (المخطط {revision}). حدّث التطبيق.</translation>
    </message>
    <message>
      <source>The loyalty program rule '{rule}' is not valid. Ask head office.</source>
      <translation>قاعدة برنامج الولاء '{rule}' غير صالحة. راجع المكتب الرئيسي.</translation>
    </message>
    <message>
      <source>This branch is offline, so points cannot be redeemed now. Points are still earned; take another payment method.</source>
      <translation>هذا الفرع غير متصل، لذا لا يمكن استخدام النقاط الآن. ما زالت النقاط تُكتسب؛ استخدم وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>Speaks {language}, the customer's preferred language.</source>
      <translation>يتحدث {language}، وهي اللغة المفضلة للعميل.</translation>
    </message>
    <message>
      <source>Does not speak {language}, the customer's preferred language.</source>
      <translation>لا يتحدث {language}، وهي اللغة المفضلة للعميل.</translation>
    </message>
    <message>
      <source>No known preferences yet, so specialty is not weighed.</source>
      <translation>لا تفضيلات معروفة بعد، لذا لا يُحتسب التخصص.</translation>
    </message>
    <message>
      <source>Specialist in {specialty}: the customer likes {tastes}.</source>
      <translation>متخصص في {specialty}: العميل يفضّل {tastes}.</translation>
    </message>
    <message>
      <source>No specialty in what the customer likes ({tastes}).</source>
      <translation>لا تخصص فيما يفضّله العميل ({tastes}).</translation>
    </message>
    <message>
      <source>Full: {load} of {capacity} VIP customers.</source>
      <translation>مكتمل: {load} من {capacity} من العملاء الكبار.</translation>
    </message>
    <message>
      <source>{load} of {capacity} VIP customers: room for {room} more.</source>
      <translation>{load} من {capacity} من العملاء الكبار: يتسع لـ {room} آخرين.</translation>
    </message>
    <message>
      <source>{years} years of experience.</source>
      <translation>{years} سنوات من الخبرة.</translation>
    </message>
    <message>
      <source>Works at the customer's home branch.</source>
      <translation>يعمل في فرع العميل الأساسي.</translation>
    </message>
    <message>
      <source>Head office cannot be reached and has not allowed this branch to take redemptions offline. Take another payment method.</source>
      <translation>تعذّر الاتصال بالمكتب الرئيسي، ولم يُسمح لهذا الفرع باستخدام الأرصدة دون اتصال. استخدم وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>This branch has been out of touch with head office for more than {hours} hours, so redemptions wait until it is back. Take another payment method.</source>
      <translation>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>Balances here were last brought up to date more than {hours} hours ago, so redemptions wait until head office is back. Take another payment method.</source>
      <translation>آخر تحديث للأرصدة هنا كان قبل أكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>This branch has used its offline allowance for this outage; at most {limit} more can be taken until head office is back.</source>
      <translation>استنفد هذا الفرع حدّ استخدام الأرصدة دون اتصال لهذا الانقطاع؛ يمكن استخدام {limit} كحد أقصى إلى أن يعود المكتب الرئيسي.</translation>
    </message>
    <message>
      <source>While head office cannot be reached, at most {limit} can be taken from this now.</source>
      <translation>ما دام المكتب الرئيسي غير متاح، يمكن أخذ {limit} كحد أقصى من هذا الآن.</translation>
    </message>
    <message>
      <source>The balance is only {balance}; enter at most that.</source>
      <translation>الرصيد {balance} فقط؛ أدخل هذا المبلغ كحد أقصى.</translation>
    </message>
    <message>
      <source>Head office has not received this card or account yet. Try again in a minute.</source>
      <translation>لم يستلم المكتب الرئيسي هذه البطاقة أو هذا الحساب بعد. حاول مرة أخرى بعد دقيقة.</translation>
    </message>
    <message>
      <source>Head office holds a balance of only {balance}; enter at most that.</source>
      <translation>الرصيد لدى المكتب الرئيسي {balance} فقط؛ أدخل هذا المبلغ كحد أقصى.</translation>
    </message>
    <message>
      <source>Enter an amount above zero.</source>
      <translation>أدخل مبلغًا أكبر من صفر.</translation>
    </message>
    <message>
      <source>At most {max} notes in one list.</source>
      <translation>الحد الأقصى {max} نفحة في القائمة الواحدة.</translation>
    </message>
    <message>
      <source>Choose fragrance families from the list.</source>
      <translation>اختر العائلات العطرية من القائمة.</translation>
    </message>
    <message>
      <source>Choose occasions from the list.</source>
      <translation>اختر المناسبات من القائمة.</translation>
    </message>
    <message>
      <source>Choose an intensity from the list.</source>
      <translation>اختر قوة العطر من القائمة.</translation>
    </message>
    <message>
      <source>A budget is an amount from AED 0 to 1,000,000.</source>
      <translation>الميزانية مبلغ من 0 إلى 1,000,000 درهم.</translation>
    </message>
    <message>
      <source>The lowest budget is above the highest. Swap them.</source>
      <translation>الحد الأدنى للميزانية أعلى من الحد الأقصى. بدّل بينهما.</translation>
    </message>
    <message>
      <source>A note cannot be both a favourite and a dislike: {notes}.</source>
      <translation>لا يمكن أن تكون النفحة مفضلة وغير محببة معًا: {notes}.</translation>
    </message>
    <message>
      <source>Gift cards cannot be taken at this till yet. Take another payment method.</source>
      <translation>لا تُقبل بطاقات الهدايا على هذا الجهاز بعد. استخدم وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>The customer holds {balance} points; redeem at most that.</source>
      <translation>رصيد العميل {balance} نقطة؛ استخدم هذا القدر كحد أقصى.</translation>
    </message>
    <message>
      <source>Choose the customer first: points belong to a customer.</source>
      <translation>اختر العميل أولًا: النقاط تخص عميلًا.</translation>
    </message>
    <message>
      <source>Redeem at least {min} points at a time.</source>
      <translation>استخدم {min} نقطة على الأقل في المرة.</translation>
    </message>
    <message>
      <source>A quantity cannot be negative.</source>
      <translation>لا يمكن أن تكون الكمية سالبة.</translation>
    </message>
    <message>
      <source>Choose at least one item to return.</source>
      <translation>اختر قطعة واحدة على الأقل لإرجاعها.</translation>
    </message>
    <message>
      <source>This order no longer exists.</source>
      <translation>لم يعد هذا الطلب موجودًا.</translation>
    </message>
    <message>
      <source>A return cannot itself be returned.</source>
      <translation>لا يمكن إرجاع عملية إرجاع.</translation>
    </message>
    <message>
      <source>This receipt is from another branch, and head office cannot be reached to check whether it was already returned there. Take it back once this branch is online again.</source>
      <translation>هذا الإيصال من فرع آخر، وتعذّر الاتصال بالمكتب الرئيسي للتحقق مما إذا كان قد أُرجع هناك. اقبل الإرجاع عندما يعود هذا الفرع متصلاً.</translation>
    </message>
    <message>
      <source>This item is not on the order being returned.</source>
      <translation>هذه القطعة ليست في الطلب المُرجع.</translation>
    </message>
    <message>
      <source>Only {left} of {name} can still be returned.</source>
      <translation>يمكن إرجاع {left} فقط من {name}.</translation>
    </message>
    <message>
      <source>This sale was paid with a gift card, and gift cards cannot be handled at this till yet.</source>
      <translation>دُفع هذا البيع ببطاقة هدايا، ولا يمكن التعامل مع بطاقات الهدايا على هذا الجهاز بعد.</translation>
    </message>
    <message>
      <source>No order has the number {number}.</source>
      <translation>لا يوجد طلب بالرقم {number}.</translation>
    </message>
    <message>
      <source>Line {line}: enter the product's name or SKU.</source>
      <translation>السطر {line}: أدخل اسم المنتج أو رمزه.</translation>
    </message>
    <message>
      <source>Line {line}: the quantity must be 1 or more.</source>
      <translation>السطر {line}: يجب أن تكون الكمية 1 أو أكثر.</translation>
    </message>
    <message>
      <source>Line {line}: at most {max} items on one line.</source>
      <translation>السطر {line}: الحد الأقصى {max} قطعة في السطر الواحد.</translation>
    </message>
    <message>
      <source>Line {line}: a price cannot be negative.</source>
      <translation>السطر {line}: لا يمكن أن يكون السعر سالبًا.</translation>
    </message>
    <message>
      <source>Line {line}: check the price; it is above AED 1,000,000.</source>
      <translation>السطر {line}: راجع السعر؛ فهو يتجاوز 1,000,000 درهم.</translation>
    </message>
    <message>
      <source>Line {line}: choose a fragrance family from the list.</source>
      <translation>السطر {line}: اختر عائلة عطرية من القائمة.</translation>
    </message>
    <message>
      <source>Line {line}: a size is 1 to 5000 ml.</source>
      <translation>السطر {line}: الحجم من 1 إلى 5000 مل.</translation>
    </message>
    <message>
      <source>Add at least one product to the sale.</source>
      <translation>أضف منتجًا واحدًا على الأقل إلى البيع.</translation>
    </message>
    <message>
      <source>At most {max} lines on one sale.</source>
      <translation>الحد الأقصى {max} سطرًا في البيع الواحد.</translation>
    </message>
    <message>
      <source>A payment amount cannot be negative.</source>
      <translation>لا يمكن أن يكون مبلغ الدفع سالبًا.</translation>
    </message>
    <message>
      <source>Scan or type the gift card's code to pay with it.</source>
      <translation>امسح رمز بطاقة الهدايا أو اكتبه للدفع بها.</translation>
    </message>
    <message>
      <source>Card, gift card and points together pay more than the total. Only cash can give change.</source>
      <translation>البطاقة وبطاقة الهدايا والنقاط معًا تتجاوز الإجمالي. الباقي يُعطى من النقد فقط.</translation>
    </message>
    <message>
      <source>{due} is still to pay. Add a payment.</source>
      <translation>ما زال {due} مستحق الدفع. أضف دفعة.</translation>
    </message>
    <message>
      <source>A reward code is letters, digits and dashes only.</source>
      <translation>رمز المكافأة حروف وأرقام وشرطات فقط.</translation>
    </message>
    <message>
      <source>Choose a kind of reward from the list.</source>
      <translation>اختر نوع المكافأة من القائمة.</translation>
    </message>
    <message>
      <source>A reward costs 1 point or more.</source>
      <translation>تكلفة المكافأة نقطة واحدة أو أكثر.</translation>
    </message>
    <message>
      <source>Stock cannot be negative.</source>
      <translation>لا يمكن أن يكون المخزون سالبًا.</translation>
    </message>
    <message>
      <source>A per-customer limit is 1 or more (leave it empty for no limit).</source>
      <translation>الحد لكل عميل 1 أو أكثر (اتركه فارغًا لعدم التقييد).</translation>
    </message>
    <message>
      <source>Choose tiers from the list.</source>
      <translation>اختر المستويات من القائمة.</translation>
    </message>
    <message>
      <source>Choose segments from the list.</source>
      <translation>اختر الفئات من القائمة.</translation>
    </message>
    <message>
      <source>The reward ends before it starts. Check the dates.</source>
      <translation>تنتهي المكافأة قبل أن تبدأ. راجع التواريخ.</translation>
    </message>
    <message>
      <source>This reward is not offered any more.</source>
      <translation>لم تعد هذه المكافأة معروضة.</translation>
    </message>
    <message>
      <source>This reward can be claimed only from {start} to {end}.</source>
      <translation>يمكن استبدال هذه المكافأة فقط من {start} إلى {end}.</translation>
    </message>
    <message>
      <source>This reward is not offered to the customer's tier.</source>
      <translation>هذه المكافأة غير معروضة لمستوى العميل.</translation>
    </message>
    <message>
      <source>This reward is not offered to the customer's segment.</source>
      <translation>هذه المكافأة غير معروضة لفئة العميل.</translation>
    </message>
    <message>
      <source>This reward is out of stock.</source>
      <translation>نفد مخزون هذه المكافأة.</translation>
    </message>
    <message>
      <source>The customer has already claimed this reward {limit} time(s), the most allowed.</source>
      <translation>سبق أن استبدل العميل هذه المكافأة {limit} مرة، وهو الحد الأقصى المسموح.</translation>
    </message>
    <message>
      <source>The customer holds {balance} points; this reward needs {cost}.</source>
      <translation>لدى العميل {balance} نقطة، وتحتاج هذه المكافأة {cost} نقطة.</translation>
    </message>
    <message>
      <source>Another reward already has this code.</source>
      <translation>هذا الرمز مستخدم لمكافأة أخرى.</translation>
    </message>
    <message>
      <source>This reward no longer exists.</source>
      <translation>لم تعد هذه المكافأة موجودة.</translation>
    </message>
    <message>
      <source>This claim no longer exists.</source>
      <translation>لم يعد هذا الاستبدال موجودًا.</translation>
    </message>
    <message>
      <source>Only a pending claim can be fulfilled or cancelled.</source>
      <translation>لا يمكن تسليم أو إلغاء إلا الاستبدال قيد الانتظار.</translation>
    </message>
    <message>
      <source>Choose at least one language the shopper speaks.</source>
      <translation>اختر لغة واحدة على الأقل يتحدثها المتسوق.</translation>
    </message>
    <message>
      <source>Choose languages from the list.</source>
      <translation>اختر اللغات من القائمة.</translation>
    </message>
    <message>
      <source>Choose specialties from the list.</source>
      <translation>اختر التخصصات من القائمة.</translation>
    </message>
    <message>
      <source>Experience is 0 to {max} years.</source>
      <translation>الخبرة من 0 إلى {max} سنة.</translation>
    </message>
    <message>
      <source>Capacity is 1 to {max} VIP customers.</source>
      <translation>السعة من 1 إلى {max} من العملاء الكبار.</translation>
    </message>
    <message>
      <source>Give a reason; it is kept with the assignment.</source>
      <translation>اذكر السبب؛ يُحفظ مع التعيين.</translation>
    </message>
    <message>
      <source>A visit cannot be dated in the future.</source>
      <translation>لا يمكن أن يكون تاريخ الزيارة في المستقبل.</translation>
    </message>
    <message>
      <source>Check the visit's date: it is over a year ago.</source>
      <translation>راجع تاريخ الزيارة: مضى عليه أكثر من عام.</translation>
    </message>
    <message>
      <source>A visit lasts 1 to {max} minutes.</source>
      <translation>تستغرق الزيارة من 1 إلى {max} دقيقة.</translation>
    </message>
    <message>
      <source>Choose the customer's mood from the list.</source>
      <translation>اختر انطباع العميل من القائمة.</translation>
    </message>
    <message>
      <source>The next follow-up cannot be in the past.</source>
      <translation>لا يمكن أن تكون المتابعة التالية في الماضي.</translation>
    </message>
    <message>
      <source>Plan the next follow-up within a year.</source>
      <translation>حدّد المتابعة التالية خلال عام.</translation>
    </message>
    <message>
      <source>At most {max} products per visit.</source>
      <translation>{max} منتجًا على الأكثر لكل زيارة.</translation>
    </message>
    <message>
      <source>A gift card is between AED {min} and AED {max}.</source>
      <translation>قيمة بطاقة الهدايا بين {min} و{max} درهم.</translation>
    </message>
    <message>
      <source>Choose an occasion from the list.</source>
      <translation>اختر مناسبة من القائمة.</translation>
    </message>
    <message>
      <source>Validity is 1 to 60 months.</source>
      <translation>الصلاحية من شهر إلى 60 شهرًا.</translation>
    </message>
    <message>
      <source>Issue between 1 and {max} cards at once.</source>
      <translation>أصدر من بطاقة واحدة إلى {max} بطاقة في المرة الواحدة.</translation>
    </message>
    <message>
      <source>Bulk cards are for corporate customers. Choose a corporate account.</source>
      <translation>البطاقات بالجملة لعملاء الشركات. اختر حساب شركة.</translation>
    </message>
    <message>
      <source>Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minutes; ask a manager.</source>
      <translation>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة {minutes} دقيقة؛ اطلب من المدير.</translation>
    </message>
    <message>
      <source>No gift card has this code. Check it with the customer.</source>
      <translation>لا توجد بطاقة هدايا بهذا الرمز. تحقّق منه مع العميل.</translation>
    </message>
    <message>
      <source>This gift card no longer exists.</source>
      <translation>بطاقة الهدايا هذه لم تعد موجودة.</translation>
    </message>
    <message>
      <source>Head office cannot be reached, so gift cards cannot be redeemed right now. Take another payment method.</source>
      <translation>تعذّر الاتصال بالمكتب الرئيسي، لذا لا يمكن استخدام رصيد بطاقات الهدايا الآن. اقبل وسيلة دفع أخرى.</translation>
    </message>
    <message>
      <source>Head office cannot be reached, so a card refund cannot be checked against the other branches now. Refund it once this branch is online again.</source>
      <translation>تعذّر الاتصال بالمكتب الرئيسي، لذا لا يمكن الآن التحقق من ردّ المبلغ إلى البطاقة مقابل الفروع الأخرى. أعد المبلغ عندما يعود هذا الفرع متصلاً.</translation>
    </message>
    <message>
      <source>The card holds only {balance}; enter at most that.</source>
      <translation>رصيد البطاقة {balance} فقط؛ أدخل مبلغًا لا يتجاوزه.</translation>
    </message>
    <message>
      <source>Only {refundable} was paid with this card; refund at most that.</source>
      <translation>دُفع بهذه البطاقة {refundable} فقط؛ لا تردّ أكثر من ذلك.</translation>
    </message>
    <message>
      <source>Only a manager can cancel a gift card.</source>
      <translation>إلغاء بطاقة الهدايا للمدير فقط.</translation>
    </message>
    <message>
      <source>This card is already cancelled.</source>
      <translation>هذه البطاقة ملغاة بالفعل.</translation>
    </message>
    <message>
      <source>This card was cancelled and cannot be used.</source>
      <translation>أُلغيت هذه البطاقة ولا يمكن استخدامها.</translation>
    </message>
    <message>
      <source>This card expired on {date} and cannot be used.</source>
      <translation>انتهت صلاحية هذه البطاقة في {date} ولا يمكن استخدامها.</translation>
    </message>
    <message>
      <source>This card has no balance left.</source>
      <translation>لم يبقَ رصيد في هذه البطاقة.</translation>
    </message>
    <message>
      <source>Type the purchaser's customer number or full mobile so exactly one customer matches.</source>
      <translation>اكتب رقم عميل المشتري أو جواله كاملًا ليطابق عميلًا واحدًا فقط.</translation>
    </message>
    <message>
      <source>Several cards at once are sold to a corporate customer: enter one.</source>
      <translation>لا تُباع عدة بطاقات دفعة واحدة إلا لعميل شركة: أدخل حساب الشركة.</translation>
    </message>
    <message>
      <source>Too long for WhatsApp: at most {max} characters, this has {length}.</source>
      <translation>أطول مما يقبله واتساب: {max} حرفًا على الأكثر، وهذا فيه {length}.</translation>
    </message>
    <message>
      <source>A WhatsApp template name has lowercase letters, digits and underscores only.</source>
      <translation>اسم قالب واتساب يتكوّن من حروف إنجليزية صغيرة وأرقام وشرطات سفلية فقط.</translation>
    </message>
    <message>
      <source>Choose the template's language: ar or en.</source>
      <translation>اختر لغة القالب: ar أو en.</translation>
    </message>
    <message>
      <source>This WhatsApp list or set of buttons cannot be read.</source>
      <translation>تعذّرت قراءة قائمة واتساب أو مجموعة الأزرار هذه.</translation>
    </message>
    <message>
      <source>WhatsApp allows at most {max} here; this has {count}.</source>
      <translation>يسمح واتساب هنا بـ {max} على الأكثر، وهذا فيه {count}.</translation>
    </message>
    <message>
      <source>Each WhatsApp button needs its own title and id.</source>
      <translation>يحتاج كل زر في واتساب إلى عنوان ومعرّف خاصين به.</translation>
    </message>
    <message>
      <source>Each WhatsApp list row needs its own id.</source>
      <translation>يحتاج كل صف في قائمة واتساب إلى معرّف خاص به.</translation>
    </message>
    <message>
      <source>This SMS would go as {parts} parts ({encoding}); at most {max} are allowed. Shorten the text.</source>
      <translation>ستُرسل هذه الرسالة النصية في {parts} أجزاء ({encoding})، والحد الأقصى {max}. اختصر النص.</translation>
    </message>
    <message>
      <source>Scan the product, or type its SKU or barcode.</source>
      <translation>امسح المنتج بالماسح، أو اكتب رمز المنتج أو الباركود.</translation>
    </message>
    <message>
      <source>No product has the code {code}. Pick it from the list or type the line.</source>
      <translation>لا يوجد منتج بالرمز ⁦{code}⁩. اختره من القائمة أو اكتب السطر.</translation>
    </message>
    <message>
      <source>A TRN (tax registration number) is {digits} digits.</source>
      <translation>الرقم الضريبي (رقم التسجيل الضريبي) من {digits} رقمًا.</translation>
    </message>
    <message>
      <source>Enter the seller's legal name.</source>
      <translation>أدخل الاسم القانوني للبائع.</translation>
    </message>
    <message>
      <source>Enter this branch's address.</source>
      <translation>أدخل عنوان هذا الفرع.</translation>
    </message>
    <message>
      <source>Enter the customer's registered name.</source>
      <translation>أدخل الاسم المسجَّل للعميل.</translation>
    </message>
    <message>
      <source>Enter the customer's address.</source>
      <translation>أدخل عنوان العميل.</translation>
    </message>
    <message>
      <source>The sale this return belongs to is not in this store.</source>
      <translation>البيع الذي يتبعه هذا الإرجاع غير موجود في قاعدة بيانات هذا الصندوق.</translation>
    </message>
    <message>
      <source>The receipt printer ({target}) did not answer. Check that it is on, has paper and is connected, then print again, or save the receipt as a PDF.</source>
      <translation>طابعة الإيصالات ({target}) لا تستجيب. تأكد أنها مشغّلة وفيها ورق ومتصلة، ثم اطبع مرة أخرى، أو احفظ الإيصال بصيغة PDF.</translation>
    </message>
    <message>
      <source>Another member of this branch's staff already uses this PIN. Choose a different PIN.</source>
      <translation>يستخدم موظف آخر في هذا الفرع هذا الرمز السري. اختر رمزًا سريًا مختلفًا.</translation>
    </message>
    <message>
      <source>Too many wrong PINs at this till. Try again in {minutes} minutes, or a manager can unlock it.</source>
      <translation>محاولات خاطئة كثيرة على نقطة البيع هذه. حاول بعد {minutes} دقيقة، أو يمكن للمدير فتح قفلها.</translation>
    </message>
    <message>
      <source>Wrong PIN. {left} attempts left before this till locks.</source>
      <translation>الرمز السري غير صحيح. بقيت {left} محاولات قبل قفل نقطة البيع.</translation>
    </message>
    <message>
      <source>Your account is locked for {minutes} minutes. Ask a manager to unlock it.</source>
      <translation>حسابك مقفل لمدة {minutes} دقيقة. اطلب من المدير فتح قفله.</translation>
    </message>
    <message>
      <source>Only a manager or an administrator can unlock the till.</source>
      <translation>لا يفتح قفل نقطة البيع إلا مدير أو مسؤول النظام.</translation>
    </message>
    <message>
      <source>Record consent with the form's boxes.</source>
      <translation>سجّل الموافقة من خانات النموذج.</translation>
    </message>
    <message>
      <source>The message is for no customer we know.</source>
      <translation>الرسالة موجهة إلى عميل غير معروف لدينا.</translation>
    </message>
    <message>
      <source>The customer has not agreed to this kind of message on this channel.</source>
      <translation>لم يوافق العميل على هذا النوع من الرسائل عبر هذه القناة.</translation>
    </message>
    <message>
      <source>The number or address cannot receive messages on this channel.</source>
      <translation>لا يمكن لهذا الرقم أو العنوان استقبال الرسائل عبر هذه القناة.</translation>
    </message>
    <message>
      <source>This channel does not send messages.</source>
      <translation>هذه القناة لا ترسل رسائل.</translation>
    </message>
    <message>
      <source>The customer has agreed to no channel that can carry this message.</source>
      <translation>لم يوافق العميل على أي قناة يمكنها إيصال هذه الرسالة.</translation>
    </message>
    <message>
      <source>Offers are sent only during the allowed hours; it waits until then.</source>
      <translation>تُرسل العروض في الساعات المسموح بها فقط، لذا ستنتظر الرسالة حتى ذلك الحين.</translation>
    </message>
    <message>
      <source>The customer had the most offers allowed this week; it waits.</source>
      <translation>تلقى العميل الحد الأقصى المسموح به من العروض هذا الأسبوع، لذا ستنتظر الرسالة.</translation>
    </message>
    <message>
      <source>Start of Ramadan</source>
      <translation>بداية شهر رمضان</translation>
    </message>
    <message>
      <source>Eid al-Fitr</source>
      <translation>عيد الفطر</translation>
    </message>
    <message>
      <source>Arafat Day</source>
      <translation>يوم عرفة</translation>
    </message>
    <message>
      <source>Eid al-Adha</source>
      <translation>عيد الأضحى</translation>
    </message>
    <message>
      <source>Islamic New Year</source>
      <translation>رأس السنة الهجرية</translation>
    </message>
    <message>
      <source>Prophet's Birthday</source>
      <translation>المولد النبوي الشريف</translation>
    </message>
    <message>
      <source>Commemoration Day</source>
      <translation>يوم الشهيد</translation>
    </message>
    <message>
      <source>UAE National Day</source>
      <translation>عيد الاتحاد</translation>
    </message>
    <message>
      <source>New Year's Day</source>
      <translation>رأس السنة الميلادية</translation>
    </message>
    <message>
      <source>The calendar covers the years {first} to {last}.</source>
      <translation>يغطي التقويم السنوات من {first} إلى {last}.</translation>
    </message>
    <message>
      <source>There is no occasion called {name}.</source>
      <translation>لا توجد مناسبة باسم {name}.</translation>
    </message>
    <message>
      <source>This announced date cannot be read.</source>
      <translation>تعذّرت قراءة هذا التاريخ المعلن.</translation>
    </message>
    <message>
      <source>Only a holiday other than the Eids can be moved to another day.</source>
      <translation>لا تُنقل إلى يوم آخر إلا العطلات غير عطلتي العيدين.</translation>
    </message>
    <message>
      <source>An announced date is at most three days from the calculated one ({calculated}).</source>
      <translation>لا يبعد التاريخ المعلن أكثر من ثلاثة أيام عن التاريخ المحسوب ({calculated}).</translation>
    </message>
    <message>
      <source>This occurrence already has an announced date.</source>
      <translation>لهذه المناسبة في هذه السنة تاريخ معلن من قبل.</translation>
    </message>
    <message>
      <source>A brace is not paired: write a variable as {example}, and a brace on its own as {open} or {close}.</source>
      <translation>قوس معقوف بلا نظير: اكتب المتغيّر هكذا {example}، والقوس المفرد هكذا {open} أو {close}.</translation>
    </message>
    <message>
      <source>A template holds at most {max} characters.</source>
      <translation>يتّسع القالب لـ {max} حرف على الأكثر.</translation>
    </message>
    <message>
      <source>Choose a message.</source>
      <translation>اختر رسالة.</translation>
    </message>
    <message>
      <source>Choose the channels this wording is for.</source>
      <translation>اختر القنوات التي تخصّها هذه الصياغة.</translation>
    </message>
    <message>
      <source>Nothing to save.</source>
      <translation>لا شيء للحفظ.</translation>
    </message>
    <message>
      <source>Over {max} characters: WhatsApp takes this only within 24 hours of the customer's last message, not as an approved template.</source>
      <translation>أطول من {max} حرف: لا يقبلها واتساب إلا خلال 24 ساعة من آخر رسالة من العميل، لا كقالب معتمد.</translation>
    </message>
    <message>
      <source>There is no such template.</source>
      <translation>لا يوجد قالب كهذا.</translation>
    </message>
    <message>
      <source>This SMS goes as {parts} parts ({encoding}), each one billed. Can it be shorter?</source>
      <translation>ستُرسل هذه الرسالة النصية في {parts} أجزاء ({encoding})، ويُحتسب كل جزء. هل يمكن اختصارها؟</translation>
    </message>
    <message>
      <source>This message cannot be filled in.</source>
      <translation>تعذّر ملء هذه الرسالة.</translation>
    </message>
    <message>
      <source>This message cannot fill {variable}: its event does not supply it. It can use {allowed}.</source>
      <translation>لا يمكن لهذه الرسالة ملء {variable}: الحدث الذي يُطلقها لا يوفّره. يمكنها استخدام {allowed}.</translation>
    </message>
    <message>
      <source>Write each variable as a plain name in braces, such as {example}.</source>
      <translation>اكتب كل متغيّر اسمًا مجرّدًا بين قوسين معقوفين، مثل {example}.</translation>
    </message>
    <message>
      <source>Write the message: a template cannot be empty.</source>
      <translation>اكتب الرسالة: لا يمكن أن يكون القالب فارغًا.</translation>
    </message>
    <message>
      <source>{variable} is not a variable. This message can use {allowed}.</source>
      <translation>{variable} ليس متغيّرًا. يمكن لهذه الرسالة استخدام {allowed}.</translation>
    </message>
    <message>
      <source>The customer has not written on WhatsApp in the last 24 hours: send a template instead.</source>
      <translation>لم يراسلنا العميل على واتساب خلال آخر 24 ساعة: أرسل قالبًا معتمدًا بدلًا من ذلك.</translation>
    </message>
    <message>
      <source>Choose a message to send.</source>
      <translation>اختر رسالة لإرسالها.</translation>
    </message>
    <message>
      <source>The customer has agreed to no channel for this kind of message. Record their consent on the Profile tab first.</source>
      <translation>لم يوافق العميل على أي قناة لهذا النوع من الرسائل. سجّل موافقته في تبويب الملف الشخصي أولًا.</translation>
    </message>
    <message>
      <source>The customer has not agreed to this kind of message on WhatsApp. They agreed to: {channels}.</source>
      <translation>لم يوافق العميل على هذا النوع من الرسائل عبر واتساب. وافق على: {channels}.</translation>
    </message>
    <message>
      <source>The customer's mobile cannot receive WhatsApp messages: correct it first.</source>
      <translation>لا يستقبل جوال العميل رسائل واتساب: صحّحه أولًا.</translation>
    </message>
    <message>
      <source>“{value}” is not one of the choices of this filter.</source>
      <translation>«{value}» ليس من خيارات عامل التصفية هذا.</translation>
    </message>
    <message>
      <source>The lowest value is higher than the highest.</source>
      <translation>القيمة الدنيا أعلى من القيمة العليا.</translation>
    </message>
    <message>
      <source>The fewest days ago are more than the most days ago.</source>
      <translation>الحد الأدنى لعدد الأيام الماضية أكبر من حدها الأقصى.</translation>
    </message>
    <message>
      <source>Enter zero or more.</source>
      <translation>أدخل صفرًا أو أكثر.</translation>
    </message>
    <message>
      <source>The number is too large.</source>
      <translation>الرقم كبير جدًا.</translation>
    </message>
    <message>
      <source>Choose at most {limit} values in one filter.</source>
      <translation>اختر {limit} قيمة على الأكثر في عامل التصفية الواحد.</translation>
    </message>
    <message>
      <source>A birthday month is a number from 1 to 12.</source>
      <translation>شهر الميلاد رقم من 1 إلى 12.</translation>
    </message>
    <message>
      <source>A brand is from 1 to {limit} characters long.</source>
      <translation>اسم العلامة التجارية من حرف واحد إلى {limit} حرفًا.</translation>
    </message>
    <message>
      <source>This audience cannot be read: {detail}.</source>
      <translation>تعذّرت قراءة تعريف الجمهور المستهدف: {detail}.</translation>
    </message>
    <message>
      <source>Choose a channel that carries messages: WhatsApp, SMS or email.</source>
      <translation>اختر قناة تحمل الرسائل: واتساب أو رسالة نصية أو البريد الإلكتروني.</translation>
    </message>
    <message>
      <source>A page holds from 1 to {limit} customers.</source>
      <translation>تضم الصفحة من عميل واحد إلى {limit} عميل.</translation>
    </message>
    <message>
      <source>Give the campaign a name.</source>
      <translation>أدخل اسماً للحملة.</translation>
    </message>
    <message>
      <source>“{value}” is not a kind of campaign.</source>
      <translation>«{value}» ليس نوعاً من أنواع الحملات.</translation>
    </message>
    <message>
      <source>A seasonal campaign needs its occasion.</source>
      <translation>الحملة الموسمية تحتاج إلى مناسبتها.</translation>
    </message>
    <message>
      <source>“{value}” is not an occasion of the calendar.</source>
      <translation>«{value}» ليست مناسبة في التقويم.</translation>
    </message>
    <message>
      <source>Choose the customer's preferred channel, WhatsApp, SMS or email.</source>
      <translation>اختر القناة المفضلة لدى العميل أو واتساب أو الرسائل النصية أو البريد الإلكتروني.</translation>
    </message>
    <message>
      <source>Choose a campaign template or write the message in Arabic and English.</source>
      <translation>اختر قالب حملة أو اكتب الرسالة بالعربية والإنجليزية.</translation>
    </message>
    <message>
      <source>Choose a template or write your own message, not both.</source>
      <translation>اختر قالباً أو اكتب رسالتك الخاصة، لا الاثنين معاً.</translation>
    </message>
    <message>
      <source>“{value}” is not a campaign template.</source>
      <translation>«{value}» ليس قالب حملة.</translation>
    </message>
    <message>
      <source>Write the message in Arabic too.</source>
      <translation>اكتب الرسالة بالعربية أيضاً.</translation>
    </message>
    <message>
      <source>Write the message in English too.</source>
      <translation>اكتب الرسالة بالإنجليزية أيضاً.</translation>
    </message>
    <message>
      <source>A message is at most {limit} characters long.</source>
      <translation>لا تزيد الرسالة على {limit} حرفاً.</translation>
    </message>
    <message>
      <source>A campaign cannot fill in “{variable}”: use {allowed}.</source>
      <translation>لا تستطيع الحملة تعبئة «{variable}»: استخدم {allowed}.</translation>
    </message>
    <message>
      <source>The message has a brace that does not close a variable.</source>
      <translation>في الرسالة قوس معقوف لا يغلق متغيراً.</translation>
    </message>
    <message>
      <source>The message names the offer, but the campaign has none.</source>
      <translation>تذكر الرسالة العرض، لكن الحملة بلا عرض.</translation>
    </message>
    <message>
      <source>The message names the link, but the campaign has none.</source>
      <translation>تذكر الرسالة الرابط، لكن الحملة بلا رابط.</translation>
    </message>
    <message>
      <source>The campaign's link is a web address that starts with https://.</source>
      <translation>رابط الحملة عنوان ويب يبدأ بـ https://.</translation>
    </message>
    <message>
      <source>The campaign's link is at most {limit} characters long.</source>
      <translation>لا يزيد رابط الحملة على {limit} حرفاً.</translation>
    </message>
    <message>
      <source>“{value}” is not a kind of offer.</source>
      <translation>«{value}» ليس نوعاً من أنواع العروض.</translation>
    </message>
    <message>
      <source>An offer's value is more than zero and at most {limit}.</source>
      <translation>قيمة العرض أكبر من صفر ولا تزيد على {limit}.</translation>
    </message>
    <message>
      <source>A discount is from 1 to 100 percent.</source>
      <translation>الخصم من 1 إلى 100 بالمئة.</translation>
    </message>
    <message>
      <source>An offer is valid for 1 to {limit} days.</source>
      <translation>صلاحية العرض من يوم واحد إلى {limit} يوماً.</translation>
    </message>
    <message>
      <source>Set how many times the offer may be redeemed (1 to {limit}).</source>
      <translation>حدّد عدد مرات استخدام العرض (من 1 إلى {limit}).</translation>
    </message>
    <message>
      <source>A campaign has at most {limit} variants.</source>
      <translation>للحملة {limit} نسخ على الأكثر.</translation>
    </message>
    <message>
      <source>Each variant has its own name of 1 to {limit} characters.</source>
      <translation>لكل نسخة اسمها الخاص من حرف واحد إلى {limit} حرفاً.</translation>
    </message>
    <message>
      <source>A variant's weight is a whole number from 1 to 100.</source>
      <translation>وزن النسخة عدد صحيح من 1 إلى 100.</translation>
    </message>
    <message>
      <source>The control group is from 0 to {limit} percent of the audience.</source>
      <translation>المجموعة الضابطة من 0 إلى {limit} بالمئة من الجمهور.</translation>
    </message>
    <message>
      <source>This campaign cannot be read: {detail}.</source>
      <translation>لا يمكن قراءة هذه الحملة: {detail}.</translation>
    </message>
    <message>
      <source>“{value}” is not a way a campaign repeats.</source>
      <translation>«{value}» ليس طريقة لتكرار الحملة.</translation>
    </message>
    <message>
      <source>Choose the date and time the campaign is sent.</source>
      <translation>اختر تاريخ إرسال الحملة ووقته.</translation>
    </message>
    <message>
      <source>Choose the day of the week the campaign is sent.</source>
      <translation>اختر يوم الأسبوع الذي تُرسل فيه الحملة.</translation>
    </message>
    <message>
      <source>The time of day reads like 10:00.</source>
      <translation>يُكتب الوقت هكذا: 10:00.</translation>
    </message>
    <message>
      <source>This campaign no longer exists.</source>
      <translation>هذه الحملة لم تعد موجودة.</translation>
    </message>
    <message>
      <source>Pause the campaign before changing it.</source>
      <translation>أوقف الحملة مؤقتاً قبل تعديلها.</translation>
    </message>
    <message>
      <source>The campaign cannot go from its present status to that one.</source>
      <translation>لا يمكن نقل الحملة من حالتها الحالية إلى هذه الحالة.</translation>
    </message>
    <message>
      <source>The audience selects no customer: widen it before scheduling.</source>
      <translation>لا يختار الجمهور أي عميل: وسّعه قبل الجدولة.</translation>
    </message>
    <message>
      <source>The campaign would reach {count} customers, more than {limit}: confirm to schedule it.</source>
      <translation>ستصل الحملة إلى {count} عميل، أي أكثر من {limit}: أكّد لجدولتها.</translation>
    </message>
    <message>
      <source>The time to send is already past: choose a later one.</source>
      <translation>وقت الإرسال قد مضى: اختر وقتاً لاحقاً.</translation>
    </message>
    <message>
      <source>The occasion has no date in the coming year.</source>
      <translation>ليس للمناسبة تاريخ في السنة القادمة.</translation>
    </message>
    <message>
      <source>Offers are sent only during the allowed hours: the campaign will send at {time} instead.</source>
      <translation>تُرسل العروض في الساعات المسموح بها فقط: سترسل الحملة الساعة {time} بدلاً من ذلك.</translation>
    </message>
    <message>
      <source>A purchase counts as converted within 1 to {limit} days of the message.</source>
      <translation>تُحتسب عملية الشراء تحويلاً خلال يوم واحد إلى {limit} يوماً من الرسالة.</translation>
    </message>
    <message>
      <source>Type or scan the offer code.</source>
      <translation>اكتب رمز العرض أو امسحه ضوئياً.</translation>
    </message>
    <message>
      <source>An offer code has 8 letters and digits, such as K7M2-Q9XR.</source>
      <translation>يتكوّن رمز العرض من 8 أحرف وأرقام، مثل K7M2-Q9XR.</translation>
    </message>
    <message>
      <source>No campaign offer has the code {code}.</source>
      <translation>لا يوجد عرض حملة بالرمز {code}.</translation>
    </message>
    <message>
      <source>The campaign of the code {code} no longer exists.</source>
      <translation>لم تعد حملة الرمز {code} موجودة.</translation>
    </message>
    <message>
      <source>The offer {code} ended on {date}.</source>
      <translation>انتهى العرض {code} في {date}.</translation>
    </message>
    <message>
      <source>Choose the customer the offer {code} was sent to first.</source>
      <translation>اختر أولاً العميل الذي أُرسل إليه العرض {code}.</translation>
    </message>
    <message>
      <source>The offer {code} was sent to another customer.</source>
      <translation>أُرسل العرض {code} إلى عميل آخر.</translation>
    </message>
    <message>
      <source>The offer {code} was already redeemed.</source>
      <translation>تم استخدام العرض {code} من قبل.</translation>
    </message>
    <message>
      <source>The campaign's offer has reached its limit of {cap} redemptions.</source>
      <translation>بلغ عرض الحملة حدّه الأقصى وهو {cap} استخداماً.</translation>
    </message>
    <message>
      <source>Offer codes cannot be taken at this till.</source>
      <translation>لا يمكن قبول رموز العروض في نقطة البيع هذه.</translation>
    </message>
    <message>
      <source>The comment must be text.</source>
      <translation>يجب أن يكون التعليق نصًا.</translation>
    </message>
    <message>
      <source>The score must be a whole number from 0 to 10.</source>
      <translation>يجب أن تكون الدرجة عددًا صحيحًا من 0 إلى 10.</translation>
    </message>
    <message>
      <source>The rating must be from 1 to 5.</source>
      <translation>يجب أن يكون التقييم من 1 إلى 5.</translation>
    </message>
    <message>
      <source>The feedback type must be product, service, general or complaint.</source>
      <translation>يجب أن يكون نوع الملاحظة: منتج أو خدمة أو عام أو شكوى.</translation>
    </message>
    <message>
      <source>There is no survey with this code.</source>
      <translation>لا يوجد استبيان بهذا الرمز.</translation>
    </message>
    <message>
      <source>This survey was sent to another customer; their answer is not taken.</source>
      <translation>أُرسل هذا الاستبيان إلى عميل آخر؛ لا تُقبل هذه الإجابة.</translation>
    </message>
    <message>
      <source>This survey was already answered.</source>
      <translation>تمت الإجابة عن هذا الاستبيان من قبل.</translation>
    </message>
    <message>
      <source>This survey closed on {date}; the answer is not taken.</source>
      <translation>أُغلق هذا الاستبيان في {date}؛ لا تُقبل الإجابة.</translation>
    </message>
    <message>
      <source>This sale no longer exists.</source>
      <translation>هذه البيعة لم تعد موجودة.</translation>
    </message>
    <message>
      <source>This reply comes from a number no customer has; it answers no survey.</source>
      <translation>هذا الرد من رقم لا يخص أي عميل؛ لا يُحتسب إجابةً عن أي استبيان.</translation>
    </message>
    <message>
      <source>This customer has no open survey to answer.</source>
      <translation>ليس لدى هذا العميل استبيان مفتوح للإجابة عنه.</translation>
    </message>
    <message>
      <source>Nobody is waiting for {sku}: there is nobody to tell.</source>
      <translation>لا أحد على قائمة انتظار {sku}: لا يوجد من نُبلغه.</translation>
    </message>
    <message>
      <source>Enter a time zone such as Europe/London or Asia/Riyadh.</source>
      <translation>أدخل منطقة زمنية مثل Europe/London أو Asia/Riyadh.</translation>
    </message>
    <message>
      <source>Only an export customer abroad has a time zone of their own.</source>
      <translation>المنطقة الزمنية الخاصة لعميل التصدير المقيم في الخارج فقط.</translation>
    </message>
    <message>
      <source>Compare the variants on read, clicked, converted or revenue.</source>
      <translation>قارن النسخ حسب القراءة أو النقر أو التحويل أو الإيراد.</translation>
    </message>
    <message>
      <source>Unknown ticket status: {value}.</source>
      <translation>حالة تذكرة غير معروفة: {value}.</translation>
    </message>
    <message>
      <source>Unknown ticket priority: {value}.</source>
      <translation>أولوية تذكرة غير معروفة: {value}.</translation>
    </message>
    <message>
      <source>Unknown ticket category: {value}.</source>
      <translation>فئة تذكرة غير معروفة: {value}.</translation>
    </message>
    <message>
      <source>This ticket is already closed.</source>
      <translation>هذه التذكرة مغلقة من قبل.</translation>
    </message>
    <message>
      <source>The ticket already has this status.</source>
      <translation>للتذكرة هذه الحالة من قبل.</translation>
    </message>
    <message>
      <source>A closed ticket can only be reopened.</source>
      <translation>لا يمكن إلا إعادة فتح التذكرة المغلقة.</translation>
    </message>
    <message>
      <source>Resolve the ticket before closing it.</source>
      <translation>حُلّ مشكلة التذكرة قبل إغلاقها.</translation>
    </message>
    <message>
      <source>A resolved ticket can only be closed or reopened.</source>
      <translation>لا يمكن إلا إغلاق التذكرة المحلولة أو إعادة فتحها.</translation>
    </message>
    <message>
      <source>Unknown ticket source: {value}.</source>
      <translation>مصدر تذكرة غير معروف: {value}.</translation>
    </message>
    <message>
      <source>A ticket from feedback or WhatsApp needs the message it came from.</source>
      <translation>تحتاج التذكرة الواردة من تقييم أو من واتساب إلى الرسالة التي جاءت منها.</translation>
    </message>
    <message>
      <source>A working day needs at least one shift.</source>
      <translation>يحتاج يوم العمل إلى فترة عمل واحدة على الأقل.</translation>
    </message>
    <message>
      <source>The shifts of a day overlap.</source>
      <translation>فترات عمل اليوم متداخلة.</translation>
    </message>
    <message>
      <source>A week needs at least one working day.</source>
      <translation>يحتاج الأسبوع إلى يوم عمل واحد على الأقل.</translation>
    </message>
    <message>
      <source>The branch calendar has no working time left.</source>
      <translation>لم يبقَ في تقويم الفرع وقت عمل.</translation>
    </message>
    <message>
      <source>SLA hours must be more than zero.</source>
      <translation>يجب أن تكون ساعات مستوى الخدمة أكثر من صفر.</translation>
    </message>
    <message>
      <source>Choose an active staff member to assign the ticket to.</source>
      <translation>اختر موظفًا فعّالًا لإسناد التذكرة إليه.</translation>
    </message>
    <message>
      <source>This ticket does not exist in this chain.</source>
      <translation>هذه التذكرة غير موجودة في هذه السلسلة.</translation>
    </message>
    <message>
      <source>Scent and longevity</source>
      <translation>الرائحة والثبات</translation>
    </message>
    <message>
      <source>Price</source>
      <translation>السعر</translation>
    </message>
    <message>
      <source>Staff and service</source>
      <translation>الموظفون والخدمة</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>الانتظار</translation>
    </message>
    <message>
      <source>Packaging</source>
      <translation>التغليف</translation>
    </message>
    <message>
      <source>Delivery</source>
      <translation>التوصيل</translation>
    </message>
    <message>
      <source>Stock and availability</source>
      <translation>المخزون والتوفر</translation>
    </message>
    <message>
      <source>Oud quality</source>
      <translation>جودة العود</translation>
    </message>
    <message>
      <source>Choose either the customers or an audience for the survey.</source>
      <translation>اختر إما العملاء أو جمهوراً للاستبيان.</translation>
    </message>
    <message>
      <source>A customer id is at most 36 characters.</source>
      <translation>معرّف العميل 36 حرفاً على الأكثر.</translation>
    </message>
    <message>
      <source>Audiences cannot be used here.</source>
      <translation>لا يمكن استخدام الجماهير هنا.</translation>
    </message>
    <message>
      <source>No customer is in this audience; no survey was sent.</source>
      <translation>لا يوجد أي عميل في هذا الجمهور؛ لم يُرسل أي استبيان.</translation>
    </message>
    <message>
      <source>A survey goes to at most {limit} customers at once; this audience has {count}.</source>
      <translation>يُرسل الاستبيان إلى {limit} عميل على الأكثر في المرة الواحدة؛ وعدد هذا الجمهور {count}.</translation>
    </message>
    <message>
      <source>This survey would go to {count} customers, more than {limit}: confirm to send it.</source>
      <translation>سيصل هذا الاستبيان إلى عدد من العملاء ({count}) يزيد على {limit}: أكّد الإرسال.</translation>
    </message>
    <message>
      <source>This field cannot be revealed.</source>
      <translation>لا يمكن إظهار هذا الحقل.</translation>
    </message>
    <message>
      <source>This customer's data was erased at their request: it cannot be edited.</source>
      <translation>مُحيت بيانات هذا العميل بناءً على طلبه: لا يمكن تعديلها.</translation>
    </message>
    <message>
      <source>No customer has this id here: nothing was requested.</source>
      <translation>لا يوجد عميل بهذا المعرّف هنا: لم يُسجَّل أي طلب.</translation>
    </message>
    <message>
      <source>This customer's data has already been erased.</source>
      <translation>بيانات هذا العميل ممحوّة بالفعل.</translation>
    </message>
    <message>
      <source>There is no customer with this id: {id}.</source>
      <translation>لا يوجد عميل بهذا المعرّف: {id}.</translation>
    </message>
    <message>
      <source>The export was cancelled.</source>
      <translation>أُلغي التصدير.</translation>
    </message>
    <message>
      <source>Champions</source>
      <translation>الأبطال</translation>
    </message>
    <message>
      <source>Loyal</source>
      <translation>الأوفياء</translation>
    </message>
    <message>
      <source>Potential loyalist</source>
      <translation>أوفياء محتملون</translation>
    </message>
    <message>
      <source>New</source>
      <translation>جدد</translation>
    </message>
    <message>
      <source>Promising</source>
      <translation>واعدون</translation>
    </message>
    <message>
      <source>Need attention</source>
      <translation>بحاجة إلى اهتمام</translation>
    </message>
    <message>
      <source>About to sleep</source>
      <translation>على وشك الخمول</translation>
    </message>
    <message>
      <source>At risk</source>
      <translation>معرّضون للفقدان</translation>
    </message>
    <message>
      <source>Can't lose them</source>
      <translation>لا يمكن خسارتهم</translation>
    </message>
    <message>
      <source>Hibernating</source>
      <translation>خاملون</translation>
    </message>
    <message>
      <source>Lost</source>
      <translation>مفقودون</translation>
    </message>
    <message>
      <source>No purchases yet.</source>
      <translation>لا مشتريات بعد.</translation>
    </message>
    <message>
      <source>Only returns, no purchase to learn from.</source>
      <translation>مرتجعات فقط، ولا مشتريات يُستفاد منها.</translation>
    </message>
    <message>
      <source>A single purchase: no buying rhythm to judge yet.</source>
      <translation>عملية شراء واحدة: لا يوجد نمط شراء يمكن الحكم عليه بعد.</translation>
    </message>
    <message>
      <source>The store's sales history is too short to model.</source>
      <translation>سجل مبيعات المتجر أقصر من أن يُبنى عليه نموذج.</translation>
    </message>
    <message>
      <source>Too few customers came back to learn from.</source>
      <translation>عدد العملاء الذين عادوا للشراء أقل من أن يُستفاد منه.</translation>
    </message>
    <message>
      <source>The model could not be fitted to this history.</source>
      <translation>تعذّرت ملاءمة النموذج لهذا السجل.</translation>
    </message>
    <message>
      <source>Spending could not be modelled, so no lifetime value.</source>
      <translation>تعذّرت نمذجة الإنفاق، فلا قيمة مدى الحياة.</translation>
    </message>
    <message>
      <source>Only a manager or the customer's personal shopper sees their analytics.</source>
      <translation>لا يطّلع على تحليلات العميل إلا المدير أو المتسوق الشخصي للعميل.</translation>
    </message>
    <message>
      <source>Ordinary weeks</source>
      <translation>الأسابيع العادية</translation>
    </message>
    <message>
      <source>Ramadan</source>
      <translation>رمضان</translation>
    </message>
    <message>
      <source>National Day week</source>
      <translation>أسبوع عيد الاتحاد</translation>
    </message>
    <message>
      <source>These figures cannot be read.</source>
      <translation>لا يمكن قراءة هذه الأرقام.</translation>
    </message>
    <message>
      <source>There is no such dashboard.</source>
      <translation>لا توجد لوحة بهذا الاسم.</translation>
    </message>
    <message>
      <source>Head office computes this chain's figures; they come with the next sync.</source>
      <translation>يحسب المكتب الرئيسي أرقام هذه السلسلة؛ تصل مع المزامنة التالية.</translation>
    </message>
  </context>
  <context>
    <name>labels</name>
    <message>
      <source>VIP</source>
      <translation>كبار العملاء</translation>
    </message>
    <message>
      <source>Regular</source>
      <translation>عادي</translation>
    </message>
    <message>
      <source>Wholesale</source>
      <translation>جملة</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Corporate</source>
      <translation>شركات</translation>
    </message>
    <message>
      <source>Abu Dhabi</source>
      <translation>أبوظبي</translation>
    </message>
    <message>
      <source>Dubai</source>
      <translation>دبي</translation>
    </message>
    <message>
      <source>Sharjah</source>
      <translation>الشارقة</translation>
    </message>
    <message>
      <source>Ajman</source>
      <translation>عجمان</translation>
    </message>
    <message>
      <source>Umm Al Quwain</source>
      <translation>أم القيوين</translation>
    </message>
    <message>
      <source>Ras Al Khaimah</source>
      <translation>رأس الخيمة</translation>
    </message>
    <message>
      <source>Fujairah</source>
      <translation>الفجيرة</translation>
    </message>
    <message>
      <source>Arabic</source>
      <translation>العربية</translation>
    </message>
    <message>
      <source>English</source>
      <translation>الإنجليزية</translation>
    </message>
    <message>
      <source>WhatsApp</source>
      <translation>واتساب</translation>
    </message>
    <message>
      <source>SMS</source>
      <translation>رسالة نصية</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>البريد الإلكتروني</translation>
    </message>
    <message>
      <source>Phone call</source>
      <translation>اتصال هاتفي</translation>
    </message>
    <message>
      <source>Cashier</source>
      <translation>أمين الصندوق</translation>
    </message>
    <message>
      <source>Personal shopper</source>
      <translation>متسوق شخصي</translation>
    </message>
    <message>
      <source>Manager</source>
      <translation>مدير</translation>
    </message>
    <message>
      <source>Administrator</source>
      <translation>مسؤول النظام</translation>
    </message>
    <message>
      <source>First name (English)</source>
      <translation>الاسم الأول (إنجليزي)</translation>
    </message>
    <message>
      <source>Last name (English)</source>
      <translation>اسم العائلة (إنجليزي)</translation>
    </message>
    <message>
      <source>First name (Arabic)</source>
      <translation>الاسم الأول (عربي)</translation>
    </message>
    <message>
      <source>Last name (Arabic)</source>
      <translation>اسم العائلة (عربي)</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>الجوال</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Emirate</source>
      <translation>الإمارة</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>المنطقة</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>العنوان</translation>
    </message>
    <message>
      <source>P.O. Box</source>
      <translation>صندوق البريد</translation>
    </message>
    <message>
      <source>Birthday</source>
      <translation>تاريخ الميلاد</translation>
    </message>
    <message>
      <source>Preferred language</source>
      <translation>اللغة المفضلة</translation>
    </message>
    <message>
      <source>Preferred channel</source>
      <translation>وسيلة التواصل المفضلة</translation>
    </message>
    <message>
      <source>WhatsApp consent</source>
      <translation>الموافقة على واتساب</translation>
    </message>
    <message>
      <source>SMS consent</source>
      <translation>الموافقة على الرسائل النصية</translation>
    </message>
    <message>
      <source>Email consent</source>
      <translation>الموافقة على البريد الإلكتروني</translation>
    </message>
    <message>
      <source>Emirates ID</source>
      <translation>الهوية الإماراتية</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>ملاحظات</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>السبب</translation>
    </message>
    <message>
      <source>Over capacity (manager override)</source>
      <translation>فوق السعة (بتجاوز من المدير)</translation>
    </message>
    <message>
      <source>Created</source>
      <translation>أُنشئ</translation>
    </message>
    <message>
      <source>Updated</source>
      <translation>عُدِّل</translation>
    </message>
    <message>
      <source>Deleted</source>
      <translation>حُذف</translation>
    </message>
    <message>
      <source>Personal shopper assigned</source>
      <translation>تعيين متسوق شخصي</translation>
    </message>
    <message>
      <source>Personal shopper changed</source>
      <translation>تغيير المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Personal shopper removed</source>
      <translation>إزالة المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>نعم</translation>
    </message>
    <message>
      <source>No</source>
      <translation>لا</translation>
    </message>
    <message>
      <source>Time zone</source>
      <translation>المنطقة الزمنية</translation>
    </message>
    <message>
      <source>Survey page</source>
      <translation>صفحة الاستبيان</translation>
    </message>
  </context>
  <context>
    <name>loyalty</name>
    <message>
      <source>Bronze</source>
      <translation>البرونزية</translation>
    </message>
    <message>
      <source>Silver</source>
      <translation>الفضية</translation>
    </message>
    <message>
      <source>Gold</source>
      <translation>الذهبية</translation>
    </message>
    <message>
      <source>Platinum</source>
      <translation>البلاتينية</translation>
    </message>
    <message>
      <source>Diamond</source>
      <translation>الماسية</translation>
    </message>
    <message>
      <source>Earned</source>
      <translation>مكتسبة</translation>
    </message>
    <message>
      <source>Earned, returned</source>
      <translation>مكتسبة ثم مُرجعة</translation>
    </message>
    <message>
      <source>Redeemed</source>
      <translation>مُستخدَمة</translation>
    </message>
    <message>
      <source>Given back</source>
      <translation>مُعادة</translation>
    </message>
    <message>
      <source>Expired</source>
      <translation>منتهية الصلاحية</translation>
    </message>
    <message>
      <source>Tier bonus</source>
      <translation>مكافأة المستوى</translation>
    </message>
    <message>
      <source>Adjustment</source>
      <translation>تعديل</translation>
    </message>
    <message>
      <source>Reaching %1</source>
      <translation>بلوغ الفئة %1</translation>
    </message>
    <message>
      <source>Reward claim</source>
      <translation>استبدال مكافأة</translation>
    </message>
    <message>
      <source>Points due on %1</source>
      <translation>نقاط مستحقة في %1</translation>
    </message>
    <message>
      <source>Oud</source>
      <translation>عود</translation>
    </message>
    <message>
      <source>Oriental</source>
      <translation>شرقي</translation>
    </message>
    <message>
      <source>Floral</source>
      <translation>زهري</translation>
    </message>
    <message>
      <source>Woody</source>
      <translation>خشبي</translation>
    </message>
    <message>
      <source>Citrus</source>
      <translation>حمضي</translation>
    </message>
    <message>
      <source>Musk</source>
      <translation>مسك</translation>
    </message>
    <message>
      <source>Amber</source>
      <translation>عنبر</translation>
    </message>
    <message>
      <source>Fresh</source>
      <translation>منعش</translation>
    </message>
    <message>
      <source>Gourmand</source>
      <translation>حلو</translation>
    </message>
    <message>
      <source>Spicy</source>
      <translation>توابل</translation>
    </message>
    <message>
      <source>Leather</source>
      <translation>جلدي</translation>
    </message>
    <message>
      <source>Light</source>
      <translation>خفيف</translation>
    </message>
    <message>
      <source>Moderate</source>
      <translation>متوسط</translation>
    </message>
    <message>
      <source>Strong</source>
      <translation>قوي</translation>
    </message>
    <message>
      <source>Every day</source>
      <translation>كل يوم</translation>
    </message>
    <message>
      <source>Work</source>
      <translation>العمل</translation>
    </message>
    <message>
      <source>Evening</source>
      <translation>المساء</translation>
    </message>
    <message>
      <source>Weddings</source>
      <translation>الأعراس</translation>
    </message>
    <message>
      <source>Eid</source>
      <translation>العيد</translation>
    </message>
    <message>
      <source>Ramadan</source>
      <translation>رمضان</translation>
    </message>
    <message>
      <source>Gifts</source>
      <translation>الهدايا</translation>
    </message>
    <message>
      <source>Cash</source>
      <translation>نقدًا</translation>
    </message>
    <message>
      <source>Card</source>
      <translation>بطاقة</translation>
    </message>
    <message>
      <source>Gift card</source>
      <translation>بطاقة هدايا</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>Discount</source>
      <translation>خصم</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>خدمة</translation>
    </message>
    <message>
      <source>Voucher</source>
      <translation>قسيمة</translation>
    </message>
    <message>
      <source>Pending</source>
      <translation>قيد الانتظار</translation>
    </message>
    <message>
      <source>Fulfilled</source>
      <translation>تم التسليم</translation>
    </message>
    <message>
      <source>Cancelled</source>
      <translation>ملغاة</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>بالانتظار</translation>
    </message>
    <message>
      <source>Notified</source>
      <translation>تم الإبلاغ</translation>
    </message>
    <message>
      <source>%1 ml</source>
      <translation>%1 مل</translation>
    </message>
    <message>
      <source>Survey answered</source>
      <translation>إجابة عن استبيان</translation>
    </message>
  </context>
  <context>
    <name>main</name>
    <message>
      <source>The store cannot be opened</source>
      <translation>تعذّر فتح قاعدة البيانات</translation>
    </message>
    <message>
      <source>Preparing the demo store (branches, staff, 2,000 customers)…</source>
      <translation>جارٍ تجهيز المتجر التجريبي (الفروع والموظفون و2٬000 عميل)…</translation>
    </message>
    <message>
      <source>The demo store could not be prepared</source>
      <translation>تعذّر تجهيز المتجر التجريبي</translation>
    </message>
  </context>
  <context>
    <name>money</name>
    <message>
      <source>AED {amount}</source>
      <translation>{amount} د.إ</translation>
    </message>
  </context>
  <context>
    <name>shopper_labels</name>
    <message>
      <source>Arabic</source>
      <translation>العربية</translation>
    </message>
    <message>
      <source>English</source>
      <translation>الإنجليزية</translation>
    </message>
    <message>
      <source>Hindi</source>
      <translation>الهندية</translation>
    </message>
    <message>
      <source>Urdu</source>
      <translation>الأردية</translation>
    </message>
    <message>
      <source>Malayalam</source>
      <translation>المالايالامية</translation>
    </message>
    <message>
      <source>Persian</source>
      <translation>الفارسية</translation>
    </message>
    <message>
      <source>Filipino</source>
      <translation>الفلبينية</translation>
    </message>
    <message>
      <source>Russian</source>
      <translation>الروسية</translation>
    </message>
    <message>
      <source>French</source>
      <translation>الفرنسية</translation>
    </message>
    <message>
      <source>Chinese</source>
      <translation>الصينية</translation>
    </message>
    <message>
      <source>German</source>
      <translation>الألمانية</translation>
    </message>
    <message>
      <source>Spanish</source>
      <translation>الإسبانية</translation>
    </message>
    <message>
      <source>Italian</source>
      <translation>الإيطالية</translation>
    </message>
    <message>
      <source>Oud</source>
      <translation>عود</translation>
    </message>
    <message>
      <source>Oriental</source>
      <translation>شرقي</translation>
    </message>
    <message>
      <source>Western</source>
      <translation>الغربية</translation>
    </message>
    <message>
      <source>Niche</source>
      <translation>العطور النادرة</translation>
    </message>
    <message>
      <source>oud</source>
      <translation>العود</translation>
    </message>
    <message>
      <source>bakhoor</source>
      <translation>البخور</translation>
    </message>
    <message>
      <source>amber</source>
      <translation>العنبر</translation>
    </message>
    <message>
      <source>musk</source>
      <translation>المسك</translation>
    </message>
    <message>
      <source>oriental</source>
      <translation>الشرقية</translation>
    </message>
    <message>
      <source>floral</source>
      <translation>الزهور</translation>
    </message>
    <message>
      <source>woody</source>
      <translation>الأخشاب</translation>
    </message>
    <message>
      <source>citrus</source>
      <translation>الحمضيات</translation>
    </message>
    <message>
      <source>fresh</source>
      <translation>المنعشة</translation>
    </message>
    <message>
      <source>niche</source>
      <translation>النادرة</translation>
    </message>
    <message>
      <source>spicy</source>
      <translation>التوابل</translation>
    </message>
    <message>
      <source>aquatic</source>
      <translation>المائية</translation>
    </message>
    <message>
      <source>fruity</source>
      <translation>الفواكه</translation>
    </message>
    <message>
      <source>gourmand</source>
      <translation>الحلوة</translation>
    </message>
    <message>
      <source>Delighted</source>
      <translation>مسرور جدًا</translation>
    </message>
    <message>
      <source>Happy</source>
      <translation>سعيد</translation>
    </message>
    <message>
      <source>Neutral</source>
      <translation>محايد</translation>
    </message>
    <message>
      <source>Undecided</source>
      <translation>متردد</translation>
    </message>
    <message>
      <source>Unhappy</source>
      <translation>غير راضٍ</translation>
    </message>
  </context>
  <context>
    <name>shoppers</name>
    <message>
      <source>Bought: %1</source>
      <translation>اشترى: %1</translation>
    </message>
    <message>
      <source>Tried: %1</source>
      <translation>جرّب: %1</translation>
    </message>
  </context>
  <context>
    <name>sync</name>
    <message>
      <source>Standalone (no head office)</source>
      <translation>مستقل (بلا مكتب رئيسي)</translation>
    </message>
    <message>
      <source>Online</source>
      <translation>متصل</translation>
    </message>
    <message>
      <source>Offline</source>
      <translation>غير متصل</translation>
    </message>
    <message>
      <source>Syncing…</source>
      <translation>جارٍ المزامنة…</translation>
    </message>
    <message>
      <source>Head office cannot be reached.</source>
      <translation>تعذّر الاتصال بالمكتب الرئيسي.</translation>
    </message>
    <message>
      <source>Head office does not accept this branch's credentials. Enrol the branch again.</source>
      <translation>لا يقبل المكتب الرئيسي بيانات اعتماد هذا الفرع. سجّل الفرع من جديد.</translation>
    </message>
    <message>
      <source>Head office holds different records for this branch (was the store restored from a copy?).</source>
      <translation>لدى المكتب الرئيسي سجلات مختلفة لهذا الفرع (هل استُعيدت قاعدة البيانات من نسخة قديمة؟).</translation>
    </message>
    <message>
      <source>Head office refused a batch of changes.</source>
      <translation>رفض المكتب الرئيسي دفعة من التغييرات.</translation>
    </message>
    <message>
      <source>Head office had an error; it will be retried.</source>
      <translation>حدث خطأ لدى المكتب الرئيسي؛ ستُعاد المحاولة.</translation>
    </message>
    <message>
      <source>This till's database could not be read for sync.</source>
      <translation>تعذّرت قراءة قاعدة بيانات هذه النقطة للمزامنة.</translation>
    </message>
    <message>
      <source>Never synced</source>
      <translation>لم تتم المزامنة بعد</translation>
    </message>
    <message>
      <source>Last sync %1</source>
      <translation>آخر مزامنة %1</translation>
    </message>
    <message>
      <source>Sending</source>
      <translation>إرسال</translation>
    </message>
    <message>
      <source>Receiving</source>
      <translation>استلام</translation>
    </message>
    <message>
      <source>Full copy</source>
      <translation>نسخة كاملة</translation>
    </message>
  </context>
  <context>
    <name>Banner</name>
    <message>
      <source>Done</source>
      <translation>تم</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>مشكلة</translation>
    </message>
    <message>
      <source>Dismiss</source>
      <translation>إخفاء</translation>
    </message>
  </context>
  <context>
    <name>GiftCardTenderBox</name>
    <message>
      <source>Looking up the card…</source>
      <translation>جارٍ البحث عن البطاقة…</translation>
    </message>
    <message>
      <source>Balance %1</source>
      <translation>الرصيد %1</translation>
    </message>
    <message>
      <source>valid until %1</source>
      <translation>صالحة حتى %1</translation>
    </message>
    <message>
      <source>This card is used up.</source>
      <translation>نفد رصيد هذه البطاقة.</translation>
    </message>
    <message>
      <source>This card has expired.</source>
      <translation>انتهت صلاحية هذه البطاقة.</translation>
    </message>
    <message>
      <source>This card is cancelled.</source>
      <translation>هذه البطاقة ملغاة.</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>الرمز</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>المبلغ</translation>
    </message>
  </context>
  <context>
    <name>CountedMessages</name>
    <message numerus="yes">
      <source>Wrong PIN. {left} attempt(s) left before the account locks.</source>
      <translation>
        <numerusform>رقم سري خاطئ. لم تبقَ أي محاولة قبل قفل الحساب.</numerusform>
        <numerusform>رقم سري خاطئ. بقيت محاولة واحدة قبل قفل الحساب.</numerusform>
        <numerusform>رقم سري خاطئ. بقيت محاولتان قبل قفل الحساب.</numerusform>
        <numerusform>رقم سري خاطئ. بقيت {left} محاولات قبل قفل الحساب.</numerusform>
        <numerusform>رقم سري خاطئ. بقيت {left} محاولة قبل قفل الحساب.</numerusform>
        <numerusform>رقم سري خاطئ. بقيت {left} محاولة قبل قفل الحساب.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Too many wrong PINs. Try again in {minutes} minute(s) or ask a manager.</source>
      <translation>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد أقل من دقيقة أو اطلب من المدير.</numerusform>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد دقيقة واحدة أو اطلب من المدير.</numerusform>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد دقيقتين أو اطلب من المدير.</numerusform>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد {minutes} دقائق أو اطلب من المدير.</numerusform>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد {minutes} دقيقة أو اطلب من المدير.</numerusform>
        <numerusform>أُدخل رقم سري خاطئ مرات كثيرة. حاول مرة أخرى بعد {minutes} دقيقة أو اطلب من المدير.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minute(s); ask a manager.</source>
      <translation>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لأقل من دقيقة؛ اطلب من المدير.</numerusform>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة دقيقة واحدة؛ اطلب من المدير.</numerusform>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة دقيقتين؛ اطلب من المدير.</numerusform>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة {minutes} دقائق؛ اطلب من المدير.</numerusform>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة {minutes} دقيقة؛ اطلب من المدير.</numerusform>
        <numerusform>أُدخلت رموز بطاقات هدايا غير معروفة كثيرة على هذا الصندوق. البحث متوقف لمدة {minutes} دقيقة؛ اطلب من المدير.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The customer has already claimed this reward {limit} time(s), the most allowed.</source>
      <translation>
        <numerusform>لا يُسمح للعميل باستبدال هذه المكافأة.</numerusform>
        <numerusform>استبدل العميل هذه المكافأة مرة واحدة، وهو الحد الأقصى المسموح.</numerusform>
        <numerusform>استبدل العميل هذه المكافأة مرتين، وهو الحد الأقصى المسموح.</numerusform>
        <numerusform>استبدل العميل هذه المكافأة {limit} مرات، وهو الحد الأقصى المسموح.</numerusform>
        <numerusform>استبدل العميل هذه المكافأة {limit} مرة، وهو الحد الأقصى المسموح.</numerusform>
        <numerusform>استبدل العميل هذه المكافأة {limit} مرة، وهو الحد الأقصى المسموح.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The customer holds {balance} point(s); redeem at most that.</source>
      <translation>
        <numerusform>ليس لدى العميل أي نقاط؛ لا يمكن استخدام النقاط.</numerusform>
        <numerusform>لدى العميل نقطة واحدة؛ استخدم هذا القدر كحد أقصى.</numerusform>
        <numerusform>لدى العميل نقطتان؛ استخدم هذا القدر كحد أقصى.</numerusform>
        <numerusform>لدى العميل {balance} نقاط؛ استخدم هذا القدر كحد أقصى.</numerusform>
        <numerusform>لدى العميل {balance} نقطة؛ استخدم هذا القدر كحد أقصى.</numerusform>
        <numerusform>لدى العميل {balance} نقطة؛ استخدم هذا القدر كحد أقصى.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Redeem at least {min} point(s) at a time.</source>
      <translation>
        <numerusform>استخدم {min} نقطة على الأقل في المرة.</numerusform>
        <numerusform>استخدم نقطة واحدة على الأقل في المرة.</numerusform>
        <numerusform>استخدم نقطتين على الأقل في المرة.</numerusform>
        <numerusform>استخدم {min} نقاط على الأقل في المرة.</numerusform>
        <numerusform>استخدم {min} نقطة على الأقل في المرة.</numerusform>
        <numerusform>استخدم {min} نقطة على الأقل في المرة.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>The customer holds {balance} point(s); this reward needs {cost}.</source>
      <translation>
        <numerusform>ليس لدى العميل أي نقاط، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
        <numerusform>لدى العميل نقطة واحدة، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
        <numerusform>لدى العميل نقطتان، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
        <numerusform>لدى العميل {balance} نقاط، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
        <numerusform>لدى العميل {balance} نقطة، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
        <numerusform>لدى العميل {balance} نقطة، وتحتاج هذه المكافأة {cost} من النقاط.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>This branch has been out of touch with head office for more than {hours} hour(s), so redemptions wait until it is back. Take another payment method.</source>
      <translation>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من ساعة واحدة، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من ساعتين، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من {hours} ساعات، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>انقطع اتصال هذا الفرع بالمكتب الرئيسي لأكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة الاتصال. استخدم وسيلة دفع أخرى.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Balances here were last brought up to date more than {hours} hour(s) ago, so redemptions wait until head office is back. Take another payment method.</source>
      <translation>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من ساعة واحدة، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من ساعتين، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من {hours} ساعات، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
        <numerusform>آخر تحديث للأرصدة هنا كان قبل أكثر من {hours} ساعة، لذا ينتظر استخدام الأرصدة عودة المكتب الرئيسي. استخدم وسيلة دفع أخرى.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>BuyerDialog</name>
    <message>
      <source>Full tax invoice</source>
      <translation>فاتورة ضريبية كاملة</translation>
    </message>
    <message>
      <source>15 digits</source>
      <translation>15 رقمًا</translation>
    </message>
    <message>
      <source>Registered name</source>
      <translation>الاسم المسجَّل</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>العنوان</translation>
    </message>
    <message>
      <source>Customer's TRN</source>
      <translation>الرقم الضريبي للعميل</translation>
    </message>
    <message>
      <source>For a customer registered for VAT: their invoice names them.</source>
      <translation>للعميل المسجَّل في ضريبة القيمة المضافة: تُذكر بياناته في فاتورته.</translation>
    </message>
  </context>
  <context>
    <name>ReceiptPreview</name>
    <message>
      <source>Save receipt as PDF</source>
      <translation>حفظ الإيصال بصيغة PDF</translation>
    </message>
    <message>
      <source>Print receipt</source>
      <translation>طباعة الإيصال</translation>
    </message>
    <message>
      <source>Sent to the printer.</source>
      <translation>أُرسل إلى الطابعة.</translation>
    </message>
    <message>
      <source>Printing…</source>
      <translation>جارٍ الطباعة…</translation>
    </message>
    <message>
      <source>Printed.</source>
      <translation>تمت الطباعة.</translation>
    </message>
    <message>
      <source>Saved as %1.</source>
      <translation>حُفظ باسم %1.</translation>
    </message>
    <message>
      <source>Print</source>
      <translation>طباعة</translation>
    </message>
    <message>
      <source>Save as PDF</source>
      <translation>حفظ بصيغة PDF</translation>
    </message>
    <message>
      <source>Full tax invoice…</source>
      <translation>فاتورة ضريبية كاملة…</translation>
    </message>
    <message>
      <source>For a customer registered for VAT, with their TRN</source>
      <translation>للعميل المسجَّل في ضريبة القيمة المضافة، برقمه الضريبي</translation>
    </message>
  </context>
  <context>
    <name>ReceiptSettingsPage</name>
    <message>
      <source>Printing</source>
      <translation>الطباعة</translation>
    </message>
    <message>
      <source>Saved. Tax invoices print these details.</source>
      <translation>تم الحفظ. تُطبع هذه البيانات على الفواتير الضريبية.</translation>
    </message>
    <message>
      <source>Enter the printer's network address, e.g. 192.168.1.50.</source>
      <translation>أدخل عنوان الطابعة على الشبكة، مثل 192.168.1.50.</translation>
    </message>
    <message>
      <source>Enter the USB vendor and product ids in hexadecimal, e.g. 04b8 and 0202.</source>
      <translation>أدخل معرّفي المُصنِّع والمنتج لمنفذ USB بالنظام الست عشري، مثل 04b8 و0202.</translation>
    </message>
    <message>
      <source>Enter the serial port, e.g. /dev/ttyUSB0 or COM3.</source>
      <translation>أدخل المنفذ التسلسلي، مثل ‎/dev/ttyUSB0 أو COM3.</translation>
    </message>
    <message>
      <source>Enter the device or file to write to, e.g. /dev/usb/lp0.</source>
      <translation>أدخل الجهاز أو الملف الذي تُكتب إليه الطباعة، مثل ‎/dev/usb/lp0.</translation>
    </message>
    <message>
      <source>Printer saved for this till.</source>
      <translation>حُفظت الطابعة لهذا الصندوق.</translation>
    </message>
    <message>
      <source>Choose a thermal printer first.</source>
      <translation>اختر طابعة حرارية أولًا.</translation>
    </message>
    <message>
      <source>Printing a test slip…</source>
      <translation>جارٍ طباعة إيصال تجريبي…</translation>
    </message>
    <message>
      <source>The test slip printed.</source>
      <translation>طُبع الإيصال التجريبي.</translation>
    </message>
    <message>
      <source>Seller on tax invoices</source>
      <translation>البائع في الفواتير الضريبية</translation>
    </message>
    <message>
      <source>Legal name (English)</source>
      <translation>الاسم القانوني (بالإنجليزية)</translation>
    </message>
    <message>
      <source>Legal name (Arabic)</source>
      <translation>الاسم القانوني (بالعربية)</translation>
    </message>
    <message>
      <source>Branch address (English)</source>
      <translation>عنوان الفرع (بالإنجليزية)</translation>
    </message>
    <message>
      <source>Branch address (Arabic)</source>
      <translation>عنوان الفرع (بالعربية)</translation>
    </message>
    <message>
      <source>TRN (15 digits)</source>
      <translation>الرقم الضريبي (15 رقمًا)</translation>
    </message>
    <message>
      <source>Save seller details</source>
      <translation>حفظ بيانات البائع</translation>
    </message>
    <message>
      <source>Receipt printer of this till</source>
      <translation>طابعة الإيصالات لهذا الصندوق</translation>
    </message>
    <message>
      <source>None: use the print dialog or PDF</source>
      <translation>لا توجد: استخدم نافذة الطباعة أو PDF</translation>
    </message>
    <message>
      <source>Network (ESC/POS, port 9100)</source>
      <translation>شبكة (ESC/POS، المنفذ 9100)</translation>
    </message>
    <message>
      <source>USB (ESC/POS)</source>
      <translation>USB ‏(ESC/POS)</translation>
    </message>
    <message>
      <source>Serial (ESC/POS)</source>
      <translation>منفذ تسلسلي (ESC/POS)</translation>
    </message>
    <message>
      <source>Device or file (ESC/POS)</source>
      <translation>جهاز أو ملف (ESC/POS)</translation>
    </message>
    <message>
      <source>Printer</source>
      <translation>الطابعة</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>العنوان</translation>
    </message>
    <message>
      <source>Port</source>
      <translation>المنفذ</translation>
    </message>
    <message>
      <source>Vendor id (hex)</source>
      <translation>معرّف المُصنِّع (ست عشري)</translation>
    </message>
    <message>
      <source>Product id (hex)</source>
      <translation>معرّف المنتج (ست عشري)</translation>
    </message>
    <message>
      <source>Speed (baud)</source>
      <translation>السرعة (بود)</translation>
    </message>
    <message>
      <source>Device or file</source>
      <translation>الجهاز أو الملف</translation>
    </message>
    <message>
      <source>Print receipts automatically after each sale and redemption</source>
      <translation>اطبع الإيصالات تلقائيًا بعد كل بيع وكل استخدام لرصيد بطاقة هدية</translation>
    </message>
    <message>
      <source>Save printer</source>
      <translation>حفظ الطابعة</translation>
    </message>
    <message>
      <source>Print a test slip</source>
      <translation>طباعة إيصال تجريبي</translation>
    </message>
  </context>
  <context>
    <name>EmptyState</name>
    <message>
      <source>Nothing to show yet.</source>
      <translation>لا يوجد ما يُعرض بعد.</translation>
    </message>
  </context>
  <context>
    <name>LanguagePreview</name>
    <message numerus="yes">
      <source>%n unit(s) left in the last part</source>
      <translation>
        <numerusform>لا وحدات متبقية في الجزء الأخير</numerusform>
        <numerusform>وحدة واحدة متبقية في الجزء الأخير</numerusform>
        <numerusform>وحدتان متبقيتان في الجزء الأخير</numerusform>
        <numerusform>%n وحدات متبقية في الجزء الأخير</numerusform>
        <numerusform>%n وحدة متبقية في الجزء الأخير</numerusform>
        <numerusform>%n وحدة متبقية في الجزء الأخير</numerusform>
      </translation>
    </message>
    <message>
      <source>Arabic</source>
      <translation>العربية</translation>
    </message>
    <message>
      <source>Cost per provider: %1</source>
      <translation>التكلفة لدى كل مزوّد: %1</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>البريد الإلكتروني</translation>
    </message>
    <message>
      <source>English</source>
      <translation>الإنجليزية</translation>
    </message>
    <message numerus="yes">
      <source>SMS: %1, %n part(s)</source>
      <translation>
        <numerusform>رسالة نصية: %1، بلا أجزاء</numerusform>
        <numerusform>رسالة نصية: %1، جزء واحد</numerusform>
        <numerusform>رسالة نصية: %1، جزآن</numerusform>
        <numerusform>رسالة نصية: %1، %n أجزاء</numerusform>
        <numerusform>رسالة نصية: %1، %n جزءًا</numerusform>
        <numerusform>رسالة نصية: %1، %n جزء</numerusform>
      </translation>
    </message>
    <message>
      <source>UCS-2 because of %1</source>
      <translation>ترميز UCS-2 بسبب %1</translation>
    </message>
    <message>
      <source>WhatsApp</source>
      <translation>واتساب</translation>
    </message>
  </context>
  <context>
    <name>MessagesTab</name>
    <message>
      <source>A customer's messages are for personal shoppers and managers.</source>
      <translation>رسائل العميل متاحة للمتسوقين الشخصيين والمديرين.</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>القناة</translation>
    </message>
    <message>
      <source>Choose a message to see what happened to it.</source>
      <translation>اختر رسالة لترى ما جرى لها.</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>الرمز</translation>
    </message>
    <message>
      <source>Cost</source>
      <translation>التكلفة</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>التفاصيل</translation>
    </message>
    <message>
      <source>Direction</source>
      <translation>الاتجاه</translation>
    </message>
    <message>
      <source>Error: %1</source>
      <translation>الخطأ: %1</translation>
    </message>
    <message>
      <source>Messages</source>
      <translation>الرسائل</translation>
    </message>
    <message>
      <source>No messages to or from this customer yet.</source>
      <translation>لا رسائل إلى هذا العميل أو منه حتى الآن.</translation>
    </message>
    <message>
      <source>Provider</source>
      <translation>المزوّد</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Status history</source>
      <translation>سجل الحالات</translation>
    </message>
    <message>
      <source>What for</source>
      <translation>الغرض</translation>
    </message>
    <message>
      <source>When</source>
      <translation>التاريخ</translation>
    </message>
  </context>
  <context>
    <name>TemplatesPage</name>
    <message>
      <source>%1, reworded</source>
      <translation>%1، بصياغة معدّلة</translation>
    </message>
    <message>
      <source>Arabic wording</source>
      <translation>الصياغة العربية</translation>
    </message>
    <message>
      <source>Customers get each message in their own language, on their preferred channel.</source>
      <translation>تصل كل رسالة إلى العميل بلغته وعلى قناته المفضلة.</translation>
    </message>
    <message>
      <source>English wording</source>
      <translation>الصياغة الإنجليزية</translation>
    </message>
    <message>
      <source>Every channel</source>
      <translation>كل القنوات</translation>
    </message>
    <message>
      <source>Channels:</source>
      <translation>القنوات:</translation>
    </message>
    <message>
      <source>Insert:</source>
      <translation>إدراج:</translation>
    </message>
    <message>
      <source>Message templates</source>
      <translation>قوالب الرسائل</translation>
    </message>
    <message>
      <source>Restore the built-in wording</source>
      <translation>استعادة الصياغة الأصلية</translation>
    </message>
    <message>
      <source>Save (Ctrl+S)</source>
      <translation>حفظ (Ctrl+S)</translation>
    </message>
    <message>
      <source>Saved. The next messages go out in this wording.</source>
      <translation>تم الحفظ. ستُرسل الرسائل التالية بهذه الصياغة.</translation>
    </message>
    <message>
      <source>WhatsApp sends the template Meta approved under the template's name: a new wording reaches WhatsApp once Meta approves it.</source>
      <translation>يرسل واتساب القالب الذي اعتمدته Meta باسم القالب: تصل الصياغة الجديدة إلى واتساب بعد أن تعتمدها Meta.</translation>
    </message>
  </context>
  <context>
    <name>message_labels</name>
    <message>
      <source>Campaign</source>
      <translation>حملة</translation>
    </message>
    <message>
      <source>Customer's reply</source>
      <translation>ردّ العميل</translation>
    </message>
    <message>
      <source>Delivered</source>
      <translation>تم التسليم</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>فشل الإرسال</translation>
    </message>
    <message>
      <source>Failed, will retry</source>
      <translation>فشل، ستُعاد المحاولة</translation>
    </message>
    <message>
      <source>From customer</source>
      <translation>من العميل</translation>
    </message>
    <message>
      <source>GSM-7</source>
      <translation>GSM-7</translation>
    </message>
    <message>
      <source>Gift card to its recipient</source>
      <translation>بطاقة الهدايا إلى مستلمها</translation>
    </message>
    <message>
      <source>In AED: what the points are worth, or the gift card's balance</source>
      <translation>بالدرهم: قيمة النقاط، أو رصيد بطاقة الهدايا</translation>
    </message>
    <message>
      <source>Message from staff</source>
      <translation>رسالة من الموظفين</translation>
    </message>
    <message>
      <source>Not sent (no consent)</source>
      <translation>لم تُرسل (لا موافقة)</translation>
    </message>
    <message>
      <source>Points expiry warning</source>
      <translation>تنبيه انتهاء صلاحية النقاط</translation>
    </message>
    <message>
      <source>Points: the balance, those expiring, or those the sale earned</source>
      <translation>النقاط: الرصيد، أو التي ستنتهي صلاحيتها، أو التي كسبها البيع</translation>
    </message>
    <message>
      <source>Queued</source>
      <translation>في الانتظار</translation>
    </message>
    <message>
      <source>Read</source>
      <translation>مقروءة</translation>
    </message>
    <message>
      <source>Receipt / order confirmation</source>
      <translation>الإيصال / تأكيد الطلب</translation>
    </message>
    <message>
      <source>Receipt of order %1</source>
      <translation>إيصال الطلب %1</translation>
    </message>
    <message>
      <source>Received</source>
      <translation>مستلمة</translation>
    </message>
    <message>
      <source>Sending</source>
      <translation>جارٍ الإرسال</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>أُرسلت</translation>
    </message>
    <message>
      <source>The bonus points of the upgrade</source>
      <translation>نقاط المكافأة عند الترقية</translation>
    </message>
    <message>
      <source>The branch's name, in the message's language</source>
      <translation>اسم الفرع بلغة الرسالة</translation>
    </message>
    <message>
      <source>The buyer's note on the gift card</source>
      <translation>ملاحظة المشتري على بطاقة الهدايا</translation>
    </message>
    <message>
      <source>The customer's first name</source>
      <translation>الاسم الأول للعميل</translation>
    </message>
    <message>
      <source>The customer's full name</source>
      <translation>الاسم الكامل للعميل</translation>
    </message>
    <message>
      <source>The date points expire or the gift card is valid until</source>
      <translation>تاريخ انتهاء صلاحية النقاط أو بطاقة الهدايا</translation>
    </message>
    <message>
      <source>The gift card's amount in AED</source>
      <translation>مبلغ بطاقة الهدايا بالدرهم</translation>
    </message>
    <message>
      <source>The loyalty tier, in the message's language</source>
      <translation>مستوى الولاء بلغة الرسالة</translation>
    </message>
    <message>
      <source>The order number</source>
      <translation>رقم الطلب</translation>
    </message>
    <message>
      <source>The order's total in AED</source>
      <translation>إجمالي الطلب بالدرهم</translation>
    </message>
    <message>
      <source>The points balance</source>
      <translation>رصيد النقاط</translation>
    </message>
    <message>
      <source>Tier upgrade</source>
      <translation>الترقية إلى مستوى أعلى</translation>
    </message>
    <message>
      <source>To customer</source>
      <translation>إلى العميل</translation>
    </message>
    <message>
      <source>UCS-2 (Unicode)</source>
      <translation>UCS-2 (يونيكود)</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>مؤجلة</translation>
    </message>
    <message>
      <source>Who the gift card is from</source>
      <translation>مُهدي بطاقة الهدايا</translation>
    </message>
    <message>
      <source>A favourite is back in stock</source>
      <translation>عاد منتج مفضّل إلى المخزون</translation>
    </message>
    <message>
      <source>Appointment reminder</source>
      <translation>تذكير بموعد</translation>
    </message>
    <message>
      <source>Thank you for the visit</source>
      <translation>شكراً على الزيارة</translation>
    </message>
    <message>
      <source>The product back in stock</source>
      <translation>المنتج الذي عاد إلى المخزون</translation>
    </message>
    <message>
      <source>The appointment's time</source>
      <translation>وقت الموعد</translation>
    </message>
    <message>
      <source>The recipient's own short link to the campaign's page</source>
      <translation>الرابط المختصر الخاص بالمستلم إلى صفحة الحملة</translation>
    </message>
    <message>
      <source>Link opened</source>
      <translation>فُتح الرابط</translation>
    </message>
    <message>
      <source>Reply to a support ticket</source>
      <translation>ردّ على تذكرة دعم</translation>
    </message>
    <message>
      <source>The support ticket's number</source>
      <translation>رقم تذكرة الدعم</translation>
    </message>
  </context>
  <context>
    <name>SendMessageDialog</name>
    <message>
      <source>A favourite is back in stock (offer)</source>
      <translation>عاد منتج مفضّل إلى المخزون (عرض)</translation>
    </message>
    <message>
      <source>Appointment reminder</source>
      <translation>تذكير بموعد</translation>
    </message>
    <message>
      <source>Thank you for the visit</source>
      <translation>شكر على الزيارة</translation>
    </message>
    <message>
      <source>Free text (the customer wrote in the last 24 hours)</source>
      <translation>نص حر (راسلنا العميل خلال آخر 24 ساعة)</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>التاريخ</translation>
    </message>
    <message>
      <source>Time</source>
      <translation>الوقت</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>الرسالة</translation>
    </message>
    <message>
      <source>The customer has not agreed to offers on WhatsApp.</source>
      <translation>لم يوافق العميل على تلقي العروض عبر واتساب.</translation>
    </message>
    <message>
      <source>The customer has not agreed to WhatsApp messages.</source>
      <translation>لم يوافق العميل على تلقي رسائل واتساب.</translation>
    </message>
    <message>
      <source>Queued for WhatsApp. It goes out as soon as messages are sent, even if this till is offline now.</source>
      <translation>أُضيفت الرسالة إلى قائمة انتظار واتساب. تُرسل عند إرسال الرسائل، حتى لو كانت نقطة البيع هذه غير متصلة الآن.</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>إغلاق</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
    <message>
      <source>Check the fields marked in red.</source>
      <translation>راجع الحقول المعلَّمة باللون الأحمر.</translation>
    </message>
    <message>
      <source>The customer has agreed to no channel for this kind of message. Record their consent on the Profile tab first.</source>
      <translation>لم يوافق العميل على أي قناة لهذا النوع من الرسائل. سجّل موافقته في تبويب الملف الشخصي أولًا.</translation>
    </message>
    <message>
      <source>, </source>
      <translation>، </translation>
    </message>
    <message>
      <source>The customer has not agreed to this kind of message on WhatsApp. They agreed to: %1.</source>
      <translation>لم يوافق العميل على هذا النوع من الرسائل عبر واتساب. وافق على: %1.</translation>
    </message>
    <message>
      <source>Loading the customer's consent…</source>
      <translation>جارٍ تحميل موافقات العميل…</translation>
    </message>
    <message>
      <source>WhatsApp to %1 · in %2</source>
      <translation>واتساب إلى %1 · باللغة %2</translation>
    </message>
    <message>
      <source>The customer wrote in the last 24 hours: free text is possible.</source>
      <translation>راسلنا العميل خلال آخر 24 ساعة: يمكن إرسال نص حر.</translation>
    </message>
    <message>
      <source>Only approved templates: the customer has not written on WhatsApp in the last 24 hours.</source>
      <translation>القوالب المعتمدة فقط: لم يراسلنا العميل على واتساب خلال آخر 24 ساعة.</translation>
    </message>
    <message>
      <source>As the customer will read it (%1)</source>
      <translation>كما سيقرؤها العميل (%1)</translation>
    </message>
    <message>
      <source>As the customer will read it</source>
      <translation>كما سيقرؤها العميل</translation>
    </message>
    <message>
      <source>Send a WhatsApp message</source>
      <translation>إرسال رسالة واتساب</translation>
    </message>
    <message>
      <source>The product as the customer knows it</source>
      <translation>اسم المنتج كما يعرفه العميل</translation>
    </message>
    <message>
      <source>Your reply, in the customer's language</source>
      <translation>ردّك، بلغة العميل</translation>
    </message>
    <message>
      <source>Queued on this till at once; works offline.</source>
      <translation>تُحفظ في نقطة البيع هذه فورًا، وتعمل دون اتصال.</translation>
    </message>
    <message>
      <source>Send (Ctrl+Enter)</source>
      <translation>إرسال (Ctrl+Enter)</translation>
    </message>
  </context>
  <context>
    <name>CampaignResultsView</name>
    <message>
      <source>95 % interval (Newcombe)</source>
      <translation>مجال الثقة 95٪ (نيوكومب)</translation>
    </message>
    <message>
      <source>All</source>
      <translation>الكل</translation>
    </message>
    <message>
      <source>Campaign results</source>
      <translation>نتائج الحملة</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>القناة</translation>
    </message>
    <message>
      <source>Clicked</source>
      <translation>نقر</translation>
    </message>
    <message>
      <source>Control converted</source>
      <translation>التحويل في المجموعة الضابطة</translation>
    </message>
    <message>
      <source>Control</source>
      <translation>المجموعة الضابطة</translation>
    </message>
    <message>
      <source>Converted</source>
      <translation>اشترى</translation>
    </message>
    <message>
      <source>Cost</source>
      <translation>التكلفة</translation>
    </message>
    <message>
      <source>Counting the results…</source>
      <translation>جارٍ احتساب النتائج…</translation>
    </message>
    <message>
      <source>Customers</source>
      <translation>العملاء</translation>
    </message>
    <message>
      <source>Delivered</source>
      <translation>وصلت</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Funnel per variant</source>
      <translation>مسار التحويل لكل نسخة</translation>
    </message>
    <message>
      <source>Lift against the control group: %1 (95 % interval %2 to %3), %4 against %5 in control, %6.</source>
      <translation>الأثر مقارنةً بالمجموعة الضابطة: %1 (مجال الثقة 95٪ من %2 إلى %3)، %4 مقابل %5 في المجموعة الضابطة، %6.</translation>
    </message>
    <message>
      <source>Lift</source>
      <translation>الأثر</translation>
    </message>
    <message>
      <source>Lift: not enough data yet (at least %1 customers in each group; now %2 and %3 in control).</source>
      <translation>الأثر: لا تكفي البيانات بعد (%1 عميلاً على الأقل في كل مجموعة؛ الآن %2، و%3 في المجموعة الضابطة).</translation>
    </message>
    <message>
      <source>No customer has been reached yet.</source>
      <translation>لم تصل الحملة إلى أي عميل بعد.</translation>
    </message>
    <message>
      <source>Not enough data</source>
      <translation>لا تكفي البيانات</translation>
    </message>
    <message>
      <source>ROI %1</source>
      <translation>العائد على الاستثمار %1</translation>
    </message>
    <message>
      <source>Read</source>
      <translation>قُرئت</translation>
    </message>
    <message>
      <source>Recipients</source>
      <translation>المستلمون</translation>
    </message>
    <message>
      <source>Redeemed</source>
      <translation>استُخدم العرض</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>تحديث</translation>
    </message>
    <message>
      <source>Results: %1</source>
      <translation>النتائج: %1</translation>
    </message>
    <message>
      <source>Revenue %1 · cost %2 (messages %3, offers %4) · %5</source>
      <translation>الإيرادات %1 · التكلفة %2 (الرسائل %3، العروض %4) · %5</translation>
    </message>
    <message>
      <source>Revenue</source>
      <translation>الإيرادات</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>أُرسلت</translation>
    </message>
    <message>
      <source>Variant</source>
      <translation>النسخة</translation>
    </message>
    <message>
      <source>within %1 days of the message</source>
      <translation>خلال %1 يوماً من الرسالة</translation>
    </message>
    <message>
      <source>%1 of %2 (%3)</source>
      <translation>%1 من %2 (%3)</translation>
    </message>
    <message>
      <source>%1 (%3)</source>
      <translation>%1 (%3)</translation>
    </message>
    <message>
      <source>%1 pts</source>
      <translation>%1 نقطة مئوية</translation>
    </message>
    <message>
      <source>leading: %1</source>
      <translation>المتقدمة: %1</translation>
    </message>
    <message>
      <source>leading: %1 (significant)</source>
      <translation>المتقدمة: %1 (فرق دالّ إحصائيًا)</translation>
    </message>
    <message>
      <source>leading: %1 (not yet significant)</source>
      <translation>المتقدمة: %1 (الفرق غير دالّ إحصائيًا بعد)</translation>
    </message>
    <message>
      <source>leading: not enough data (at least %1 recipients in each variant)</source>
      <translation>المتقدمة: لا تكفي البيانات (%1 مستلمًا على الأقل في كل نسخة)</translation>
    </message>
    <message>
      <source>no variant leads: the best two are equal</source>
      <translation>لا نسخة متقدمة: أفضل نسختين متساويتان</translation>
    </message>
    <message>
      <source>Variants compared on: %1 — %2</source>
      <translation>مقارنة النسخ حسب: %1 — %2</translation>
    </message>
  </context>
  <context>
    <name>QuickFeedbackDialog</name>
    <message>
      <source>Customer feedback</source>
      <translation>رأي العميل</translation>
    </message>
    <message>
      <source>How likely is the customer to recommend us to a friend?</source>
      <translation>ما مدى احتمال أن يوصي العميل صديقاً بنا؟</translation>
    </message>
    <message>
      <source>Type the score: a digit from 0 to 9, or 1 then 0 for 10. Enter saves, Esc skips.</source>
      <translation>اكتب الدرجة: رقماً من 0 إلى 9، أو 1 ثم 0 للدرجة 10. Enter للحفظ، وEsc للتخطي.</translation>
    </message>
    <message>
      <source>0 · not at all</source>
      <translation>0 · مستبعد تماماً</translation>
    </message>
    <message>
      <source>10 · certainly</source>
      <translation>10 · بالتأكيد</translation>
    </message>
    <message>
      <source>Comment (optional)</source>
      <translation>تعليق (اختياري)</translation>
    </message>
    <message>
      <source>What the customer said, in their words (up to %1 characters)</source>
      <translation>ما قاله العميل بكلماته (حتى %1 حرف)</translation>
    </message>
    <message>
      <source>Skip (Esc)</source>
      <translation>تخطٍّ (Esc)</translation>
    </message>
    <message>
      <source>Save (Enter)</source>
      <translation>حفظ (Enter)</translation>
    </message>
  </context>
  <context>
    <name>AudienceBuilder</name>
    <message>
      <source>Any time, or never</source>
      <translation>في أي وقت، أو لم يشترِ قط</translation>
    </message>
    <message>
      <source>Birthday month</source>
      <translation>شهر الميلاد</translation>
    </message>
    <message>
      <source>Bought between, or never</source>
      <translation>اشترى بين، أو لم يشترِ قط</translation>
    </message>
    <message>
      <source>Bought, between</source>
      <translation>اشترى بين</translation>
    </message>
    <message>
      <source>Brands (separated by commas), looked for in</source>
      <translation>العلامات التجارية (تفصل بينها فواصل)، يُبحث عنها في</translation>
    </message>
    <message>
      <source>Customers at the message limit</source>
      <translation>العملاء الذين بلغوا حد الرسائل</translation>
    </message>
    <message>
      <source>Customers who did not agree to offers</source>
      <translation>العملاء الذين لم يوافقوا على العروض</translation>
    </message>
    <message>
      <source>Either</source>
      <translation>لا يهم</translation>
    </message>
    <message>
      <source>Emirate</source>
      <translation>الإمارة</translation>
    </message>
    <message>
      <source>Fragrance families</source>
      <translation>عائلات العطور</translation>
    </message>
    <message>
      <source>Has a personal shopper</source>
      <translation>لديه مستشار تسوق شخصي</translation>
    </message>
    <message>
      <source>Has none</source>
      <translation>ليس لديه</translation>
    </message>
    <message>
      <source>In another campaign in the last (days)</source>
      <translation>في حملة أخرى خلال آخر (أيام)</translation>
    </message>
    <message>
      <source>Last purchase</source>
      <translation>آخر شراء</translation>
    </message>
    <message>
      <source>Leave out</source>
      <translation>استبعاد</translation>
    </message>
    <message>
      <source>Lifetime spend in AED</source>
      <translation>إجمالي الإنفاق بالدرهم</translation>
    </message>
    <message>
      <source>Loyalty tier</source>
      <translation>مستوى الولاء</translation>
    </message>
    <message>
      <source>Never bought</source>
      <translation>لم يشترِ قط</translation>
    </message>
    <message>
      <source>Personal shopper</source>
      <translation>مستشار التسوق الشخصي</translation>
    </message>
    <message>
      <source>Points balance</source>
      <translation>رصيد النقاط</translation>
    </message>
    <message>
      <source>Preferred channel</source>
      <translation>القناة المفضلة</translation>
    </message>
    <message>
      <source>Preferred language</source>
      <translation>اللغة المفضلة</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Sent an offer in the last (days)</source>
      <translation>أُرسل إليه عرض خلال آخر (أيام)</translation>
    </message>
    <message>
      <source>and</source>
      <translation>و</translation>
    </message>
    <message>
      <source>days ago</source>
      <translation>يوماً مضت</translation>
    </message>
    <message>
      <source>e.g. Amouage, Ajmal</source>
      <translation>مثل: أمواج، أجمل</translation>
    </message>
    <message>
      <source>to</source>
      <translation>إلى</translation>
    </message>
  </context>
  <context>
    <name>CalendarView</name>
    <message>
      <source>%1 is back on its calculated date.</source>
      <translation>عاد %1 إلى تاريخه المحسوب.</translation>
    </message>
    <message>
      <source>Announced date:</source>
      <translation>التاريخ المُعلن:</translation>
    </message>
    <message>
      <source>Campaigns on it</source>
      <translation>الحملات فيه</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>التاريخ</translation>
    </message>
    <message>
      <source>Day off from</source>
      <translation>العطلة من</translation>
    </message>
    <message>
      <source>Hijri date</source>
      <translation>التاريخ الهجري</translation>
    </message>
    <message>
      <source>Islamic dates follow Umm al-Qura until the UAE announces its own after the moon sighting; record the announced date here.</source>
      <translation>تتبع التواريخ الهجرية تقويم أم القرى إلى أن تعلن الإمارات تاريخها بعد رؤية الهلال؛ سجّل التاريخ المُعلن هنا.</translation>
    </message>
    <message>
      <source>Next year</source>
      <translation>السنة التالية</translation>
    </message>
    <message>
      <source>No occasion falls in this year.</source>
      <translation>لا تقع أي مناسبة في هذه السنة.</translation>
    </message>
    <message>
      <source>Occasion</source>
      <translation>المناسبة</translation>
    </message>
    <message>
      <source>Only the day off moves</source>
      <translation>تنتقل العطلة فقط</translation>
    </message>
    <message>
      <source>Previous year</source>
      <translation>السنة السابقة</translation>
    </message>
    <message>
      <source>Record the announced date</source>
      <translation>سجّل التاريخ المُعلن</translation>
    </message>
    <message>
      <source>Recorded: %1 now falls on %2.</source>
      <translation>تم التسجيل: يقع %1 الآن في %2.</translation>
    </message>
    <message>
      <source>Recorded: the day off of %1 now falls on %2.</source>
      <translation>تم التسجيل: تقع عطلة %1 الآن في %2.</translation>
    </message>
    <message>
      <source>Remove the announced date</source>
      <translation>احذف التاريخ المُعلن</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>المصدر</translation>
    </message>
    <message>
      <source>Year:</source>
      <translation>السنة:</translation>
    </message>
    <message>
      <source>moved</source>
      <translation>نُقلت</translation>
    </message>
  </context>
  <context>
    <name>CampaignEditor</name>
    <message>
      <source>Audience</source>
      <translation>الجمهور</translation>
    </message>
    <message>
      <source>Audience: check the filters</source>
      <translation>الجمهور: راجع عوامل التصفية</translation>
    </message>
    <message>
      <source>Audience: counting…</source>
      <translation>الجمهور: جارٍ العدّ…</translation>
    </message>
    <message>
      <source>Campaign and schedule</source>
      <translation>الحملة وموعدها</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>القناة</translation>
    </message>
    <message>
      <source>Customers in the audience: %1</source>
      <translation>العملاء في الجمهور: %1</translation>
    </message>
    <message>
      <source>Edit campaign</source>
      <translation>تعديل الحملة</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Message and A/B</source>
      <translation>الرسالة ونسخ A/B</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>New campaign</source>
      <translation>حملة جديدة</translation>
    </message>
    <message>
      <source>Next runs</source>
      <translation>المرات القادمة</translation>
    </message>
    <message>
      <source>No run is coming: check the schedule.</source>
      <translation>لا إرسال قادماً: راجع الموعد.</translation>
    </message>
    <message>
      <source>Occasion</source>
      <translation>المناسبة</translation>
    </message>
    <message>
      <source>Offer</source>
      <translation>العرض</translation>
    </message>
    <message>
      <source>Save (Ctrl+S)</source>
      <translation>حفظ (Ctrl+S)</translation>
    </message>
    <message>
      <source>Sends</source>
      <translation>تُرسل</translation>
    </message>
    <message>
      <source>Some fields need correcting: they are marked in red.</source>
      <translation>بعض الحقول تحتاج إلى تصحيح: وهي مُعلّمة باللون الأحمر.</translation>
    </message>
    <message>
      <source>The customer's preferred channel</source>
      <translation>القناة المفضلة للعميل</translation>
    </message>
    <message>
      <source>Link (%1)</source>
      <translation>الرابط (%1)</translation>
    </message>
    <message>
      <source>Count a purchase as converted within</source>
      <translation>احتساب الشراء تحويلاً خلال</translation>
    </message>
    <message>
      <source> days</source>
      <translation> يومًا</translation>
    </message>
  </context>
  <context>
    <name>CampaignList</name>
    <message>
      <source>A large audience</source>
      <translation>جمهور كبير</translation>
    </message>
    <message>
      <source>Complete</source>
      <translation>إنهاء</translation>
    </message>
    <message>
      <source>Complete the campaign</source>
      <translation>إنهاء الحملة</translation>
    </message>
    <message>
      <source>Completed.</source>
      <translation>انتهت.</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>تعديل</translation>
    </message>
    <message>
      <source>End “%1” for good? It will not run again.</source>
      <translation>إنهاء «%1» نهائياً؟ لن تُرسل مرة أخرى.</translation>
    </message>
    <message>
      <source>Every kind</source>
      <translation>كل الأنواع</translation>
    </message>
    <message>
      <source>Every status</source>
      <translation>كل الحالات</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>Exported.</source>
      <translation>تم التصدير.</translation>
    </message>
    <message>
      <source>Filter by name (Ctrl+F)</source>
      <translation>تصفية بالاسم (Ctrl+F)</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Last run</source>
      <translation>آخر إرسال</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>الاسم</translation>
    </message>
    <message>
      <source>New (F2)</source>
      <translation>جديدة (F2)</translation>
    </message>
    <message>
      <source>Next run</source>
      <translation>الإرسال التالي</translation>
    </message>
    <message>
      <source>No campaign yet: press F2 to create one.</source>
      <translation>لا توجد حملات بعد: اضغط F2 لإنشاء حملة.</translation>
    </message>
    <message>
      <source>Not scheduled: the campaign stays as it was.</source>
      <translation>لم تُجدول: بقيت الحملة كما كانت.</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>إيقاف مؤقت</translation>
    </message>
    <message>
      <source>Paused.</source>
      <translation>أُوقفت مؤقتاً.</translation>
    </message>
    <message>
      <source>Results</source>
      <translation>النتائج</translation>
    </message>
    <message>
      <source>Saved “%1” as a draft: schedule it to send.</source>
      <translation>حُفظت «%1» كمسودة: جدولها لتُرسل.</translation>
    </message>
    <message>
      <source>Schedule</source>
      <translation>جدولة</translation>
    </message>
    <message>
      <source>Scheduled: %1 customers would receive it if it ran now.</source>
      <translation>جُدولت: سيتلقاها %1 من العملاء لو أُرسلت الآن.</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>أُرسلت</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
  </context>
  <context>
    <name>CampaignsPage</name>
    <message>
      <source>Calendar of occasions</source>
      <translation>تقويم المناسبات</translation>
    </message>
    <message>
      <source>Campaigns</source>
      <translation>الحملات</translation>
    </message>
    <message>
      <source>Results</source>
      <translation>النتائج</translation>
    </message>
  </context>
  <context>
    <name>MessageSection</name>
    <message>
      <source>A/B variants and control group</source>
      <translation>نسخ A/B والمجموعة الضابطة</translation>
    </message>
    <message>
      <source>Arabic wording</source>
      <translation>النص العربي</translation>
    </message>
    <message>
      <source>Arabic wording and preview</source>
      <translation>النص العربي ومعاينته</translation>
    </message>
    <message>
      <source>Control group:</source>
      <translation>المجموعة الضابطة:</translation>
    </message>
    <message>
      <source>English wording</source>
      <translation>النص الإنجليزي</translation>
    </message>
    <message>
      <source>English wording and preview</source>
      <translation>النص الإنجليزي ومعاينته</translation>
    </message>
    <message>
      <source>Insert:</source>
      <translation>إدراج:</translation>
    </message>
    <message>
      <source>Leave the rows empty to send the message above to everyone. Each variant filled in replaces it for its share of the audience, by weight.</source>
      <translation>اترك الصفوف فارغة لإرسال الرسالة أعلاه إلى الجميع. كل نسخة تُملأ تحل محلها لحصتها من الجمهور، حسب وزنها.</translation>
    </message>
    <message>
      <source>Message:</source>
      <translation>الرسالة:</translation>
    </message>
    <message>
      <source>Our own wording, below</source>
      <translation>نصنا الخاص، أدناه</translation>
    </message>
    <message>
      <source>Template: %1</source>
      <translation>قالب: %1</translation>
    </message>
    <message>
      <source>This share receives nothing, so the results compare against customers not messaged.</source>
      <translation>لا تتلقى هذه الحصة شيئاً، فتُقارن النتائج بعملاء لم تصلهم رسالة.</translation>
    </message>
    <message>
      <source>Variant</source>
      <translation>النسخة</translation>
    </message>
    <message>
      <source>Weight</source>
      <translation>الوزن</translation>
    </message>
    <message>
      <source>Winning metric:</source>
      <translation>مقياس الفوز:</translation>
    </message>
    <message>
      <source>With two variants or more, the results name the one leading on this.</source>
      <translation>مع نسختين أو أكثر، تُظهر النتائج النسخة المتقدمة على هذا المقياس.</translation>
    </message>
  </context>
  <context>
    <name>campaign_labels</name>
    <message>
      <source>%1 %2 %3 AH</source>
      <translation>%1 %2 %3 هـ</translation>
    </message>
    <message>
      <source>Anniversary greeting</source>
      <translation>تهنئة بالذكرى</translation>
    </message>
    <message>
      <source>Announced</source>
      <translation>مُعلن</translation>
    </message>
    <message>
      <source>Birthday</source>
      <translation>عيد الميلاد</translation>
    </message>
    <message>
      <source>Birthday greeting</source>
      <translation>تهنئة بعيد الميلاد</translation>
    </message>
    <message>
      <source>Bonus points</source>
      <translation>نقاط إضافية</translation>
    </message>
    <message>
      <source>Broadcast</source>
      <translation>رسالة جماعية</translation>
    </message>
    <message>
      <source>Completed</source>
      <translation>منتهية</translation>
    </message>
    <message>
      <source>Dhu al-Hijjah</source>
      <translation>ذو الحجة</translation>
    </message>
    <message>
      <source>Dhu al-Qadah</source>
      <translation>ذو القعدة</translation>
    </message>
    <message>
      <source>Discount code (percent off)</source>
      <translation>رمز خصم (نسبة مئوية)</translation>
    </message>
    <message>
      <source>Draft</source>
      <translation>مسودة</translation>
    </message>
    <message>
      <source>Every %1 at %2</source>
      <translation>كل %1 الساعة %2</translation>
    </message>
    <message>
      <source>Every day</source>
      <translation>كل يوم</translation>
    </message>
    <message>
      <source>Every day at %1</source>
      <translation>كل يوم الساعة %1</translation>
    </message>
    <message>
      <source>Every week</source>
      <translation>كل أسبوع</translation>
    </message>
    <message>
      <source>Every year on %1 at %2</source>
      <translation>كل سنة في %1 الساعة %2</translation>
    </message>
    <message>
      <source>Every year, on its occasion</source>
      <translation>كل سنة، في مناسبتها</translation>
    </message>
    <message>
      <source>Fixed date</source>
      <translation>تاريخ ثابت</translation>
    </message>
    <message>
      <source>Jumada al-Awwal</source>
      <translation>جمادى الأولى</translation>
    </message>
    <message>
      <source>Jumada al-Thani</source>
      <translation>جمادى الآخرة</translation>
    </message>
    <message>
      <source>Muharram</source>
      <translation>محرم</translation>
    </message>
    <message>
      <source>Once, at a date and time</source>
      <translation>مرة واحدة، في تاريخ ووقت</translation>
    </message>
    <message>
      <source>Once: %1</source>
      <translation>مرة واحدة: %1</translation>
    </message>
    <message>
      <source>Paused</source>
      <translation>متوقفة مؤقتاً</translation>
    </message>
    <message>
      <source>Purchases only</source>
      <translation>المشتريات فقط</translation>
    </message>
    <message>
      <source>Rabi al-Awwal</source>
      <translation>ربيع الأول</translation>
    </message>
    <message>
      <source>Rabi al-Thani</source>
      <translation>ربيع الآخر</translation>
    </message>
    <message>
      <source>Rajab</source>
      <translation>رجب</translation>
    </message>
    <message>
      <source>Ramadan</source>
      <translation>رمضان</translation>
    </message>
    <message>
      <source>Registration anniversary</source>
      <translation>ذكرى التسجيل</translation>
    </message>
    <message>
      <source>Restock alert</source>
      <translation>تنبيه بعودة التوفر</translation>
    </message>
    <message>
      <source>Running</source>
      <translation>قيد الإرسال</translation>
    </message>
    <message>
      <source>Safar</source>
      <translation>صفر</translation>
    </message>
    <message>
      <source>Scheduled</source>
      <translation>مجدولة</translation>
    </message>
    <message>
      <source>Seasonal</source>
      <translation>موسمية</translation>
    </message>
    <message>
      <source>Seasonal greeting</source>
      <translation>تهنئة موسمية</translation>
    </message>
    <message>
      <source>Sha'ban</source>
      <translation>شعبان</translation>
    </message>
    <message>
      <source>Shawwal</source>
      <translation>شوال</translation>
    </message>
    <message>
      <source>Stated preferences only</source>
      <translation>التفضيلات المذكورة فقط</translation>
    </message>
    <message>
      <source>Stated preferences or purchases</source>
      <translation>التفضيلات المذكورة أو المشتريات</translation>
    </message>
    <message>
      <source>The branch's name, in the message's language</source>
      <translation>اسم الفرع بلغة الرسالة</translation>
    </message>
    <message>
      <source>The customer's first name</source>
      <translation>الاسم الأول للعميل</translation>
    </message>
    <message>
      <source>The customer's full name</source>
      <translation>الاسم الكامل للعميل</translation>
    </message>
    <message>
      <source>The last day the offer may be used</source>
      <translation>آخر يوم يمكن فيه استخدام العرض</translation>
    </message>
    <message>
      <source>The offer, in words</source>
      <translation>العرض بالكلمات</translation>
    </message>
    <message>
      <source>Umm al-Qura</source>
      <translation>أم القرى</translation>
    </message>
    <message>
      <source>Voucher (AED)</source>
      <translation>قسيمة شراء (بالدرهم)</translation>
    </message>
    <message>
      <source>We miss you</source>
      <translation>اشتقنا إليك</translation>
    </message>
    <message>
      <source>Win-back</source>
      <translation>استعادة العملاء</translation>
    </message>
    <message>
      <source>Read rate</source>
      <translation>نسبة القراءة</translation>
    </message>
    <message>
      <source>Click rate</source>
      <translation>نسبة النقر</translation>
    </message>
    <message>
      <source>Conversion rate</source>
      <translation>نسبة التحويل</translation>
    </message>
    <message>
      <source>Revenue per recipient</source>
      <translation>الإيراد لكل مستلم</translation>
    </message>
  </context>
  <context>
    <name>OfferSection</name>
    <message>
      <source>AED</source>
      <translation>درهم</translation>
    </message>
    <message>
      <source>Offer</source>
      <translation>العرض</translation>
    </message>
    <message>
      <source>Redemptions at most</source>
      <translation>عدد مرات الاستخدام على الأكثر</translation>
    </message>
    <message>
      <source>The campaign carries an offer</source>
      <translation>تحمل الحملة عرضاً</translation>
    </message>
    <message>
      <source>The cap bounds what the campaign can give away in all. The message can name the offer with {offer} and its last day with {valid_until}.</source>
      <translation>الحد الأقصى يقيّد كل ما يمكن أن تمنحه الحملة. يمكن أن تذكر الرسالة العرض بـ {offer} وآخر يوم له بـ {valid_until}.</translation>
    </message>
    <message>
      <source>Valid for (days)</source>
      <translation>صالح لمدة (أيام)</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>القيمة</translation>
    </message>
    <message>
      <source>percent off</source>
      <translation>بالمئة خصم</translation>
    </message>
    <message>
      <source>points</source>
      <translation>نقطة</translation>
    </message>
  </context>
  <context>
    <name>ScheduleFields</name>
    <message>
      <source>at</source>
      <translation>الساعة</translation>
    </message>
    <message>
      <source>on</source>
      <translation>في</translation>
    </message>
  </context>
  <context>
    <name>CustomerFeedbackTab</name>
    <message>
      <source>A customer's feedback is for personal shoppers and managers.</source>
      <translation>آراء العميل متاحة للمتسوقين الشخصيين والمديرين.</translation>
    </message>
    <message>
      <source>About</source>
      <translation>الموضوع</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>التعليق</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>التاريخ</translation>
    </message>
    <message>
      <source>Feedback</source>
      <translation>الآراء</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>التقييم</translation>
    </message>
    <message>
      <source>Sentiment</source>
      <translation>الانطباع</translation>
    </message>
    <message>
      <source>The chosen answer's comment shows here.</source>
      <translation>يظهر هنا تعليق الإجابة المختارة.</translation>
    </message>
    <message>
      <source>This customer has not answered a survey yet.</source>
      <translation>لم يُجب هذا العميل عن أي استبيان بعد.</translation>
    </message>
    <message>
      <source>Ticket</source>
      <translation>التذكرة</translation>
    </message>
  </context>
  <context>
    <name>CustomerTicketsTab</name>
    <message>
      <source>%1 (paused)</source>
      <translation>%1 (متوقف مؤقتاً)</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>الموعد النهائي</translation>
    </message>
    <message>
      <source>Last response</source>
      <translation>آخر رد</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>الرقم</translation>
    </message>
    <message>
      <source>Open ticket</source>
      <translation>فتح التذكرة</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>الأولوية</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>الموضوع</translation>
    </message>
    <message>
      <source>Support tickets are for staff who handle them.</source>
      <translation>تذاكر الدعم متاحة للموظفين الذين يتولّونها.</translation>
    </message>
    <message>
      <source>This customer has no support tickets.</source>
      <translation>لا توجد تذاكر دعم لهذا العميل.</translation>
    </message>
    <message>
      <source>Tickets</source>
      <translation>التذاكر</translation>
    </message>
  </context>
  <context>
    <name>ServiceLabels</name>
    <message>
      <source>%1 of 10</source>
      <translation>%1 من 10</translation>
    </message>
    <message>
      <source>%1 of 5 stars</source>
      <translation>%1 من 5 نجوم</translation>
    </message>
    <message>
      <source>Complaint</source>
      <translation>شكوى</translation>
    </message>
    <message>
      <source>General</source>
      <translation>عام</translation>
    </message>
    <message>
      <source>Loyalty</source>
      <translation>الولاء</translation>
    </message>
    <message>
      <source>Negative</source>
      <translation>سلبي</translation>
    </message>
    <message>
      <source>Neutral</source>
      <translation>محايد</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>الطلب</translation>
    </message>
    <message>
      <source>Positive</source>
      <translation>إيجابي</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>منتج</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>خدمة</translation>
    </message>
  </context>
  <context>
    <name>BranchHoursBox</name>
    <message>
      <source>Manager's alerts by email</source>
      <translation>تنبيهات المدير بالبريد الإلكتروني</translation>
    </message>
    <message>
      <source>In Ramadan</source>
      <translation>في رمضان</translation>
    </message>
    <message>
      <source>Opening hours</source>
      <translation>ساعات العمل</translation>
    </message>
    <message>
      <source>Opening hours for support tickets</source>
      <translation>ساعات العمل لتذاكر الدعم</translation>
    </message>
    <message>
      <source>Other hours</source>
      <translation>ساعات مختلفة</translation>
    </message>
    <message>
      <source>Save hours</source>
      <translation>حفظ الساعات</translation>
    </message>
    <message>
      <source>Saved. New ticket deadlines count in these hours.</source>
      <translation>تم الحفظ. تُحسب المواعيد النهائية للتذاكر الجديدة بهذه الساعات.</translation>
    </message>
    <message>
      <source>The manager's address; empty: no email</source>
      <translation>عنوان المدير؛ إن تُرك فارغاً فلا بريد</translation>
    </message>
    <message>
      <source>The manager's mobile; empty: no WhatsApp</source>
      <translation>جوال المدير؛ إن تُرك فارغاً فلا واتساب</translation>
    </message>
    <message>
      <source>WhatsApp</source>
      <translation>واتساب</translation>
    </message>
    <message>
      <source>Weekend</source>
      <translation>عطلة نهاية الأسبوع</translation>
    </message>
    <message>
      <source>and</source>
      <translation>و</translation>
    </message>
  </context>
  <context>
    <name>FeedbackDashboardPage</name>
    <message>
      <source>Send a survey…</source>
      <translation>إرسال استبيان…</translation>
    </message>
    <message>
      <source>%1 (few answers)</source>
      <translation>%1 (إجابات قليلة)</translation>
    </message>
    <message>
      <source>%1 to %2</source>
      <translation>من %1 إلى %2</translation>
    </message>
    <message numerus="yes">
      <source>%n answer(s) with a score</source>
      <translation>
        <numerusform>لا إجابات بدرجة</numerusform>
        <numerusform>إجابة واحدة بدرجة</numerusform>
        <numerusform>إجابتان بدرجة</numerusform>
        <numerusform>%n إجابات بدرجة</numerusform>
        <numerusform>%n إجابة بدرجة</numerusform>
        <numerusform>%n إجابة بدرجة</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n day(s)</source>
      <translation>
        <numerusform>أقل من يوم</numerusform>
        <numerusform>يوم واحد</numerusform>
        <numerusform>يومان</numerusform>
        <numerusform>%n أيام</numerusform>
        <numerusform>%n يومًا</numerusform>
        <numerusform>%n يوم</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n hour(s)</source>
      <translation>
        <numerusform>أقل من ساعة</numerusform>
        <numerusform>ساعة واحدة</numerusform>
        <numerusform>ساعتان</numerusform>
        <numerusform>%n ساعات</numerusform>
        <numerusform>%n ساعة</numerusform>
        <numerusform>%n ساعة</numerusform>
      </translation>
    </message>
    <message>
      <source>95 % interval %1</source>
      <translation>مجال الثقة 95٪: %1</translation>
    </message>
    <message>
      <source>95 % interval</source>
      <translation>مجال الثقة 95٪</translation>
    </message>
    <message>
      <source>All branches</source>
      <translation>كل الفروع</translation>
    </message>
    <message>
      <source>All campaigns</source>
      <translation>كل الحملات</translation>
    </message>
    <message>
      <source>All personal shoppers</source>
      <translation>كل المتسوقين الشخصيين</translation>
    </message>
    <message>
      <source>All segments</source>
      <translation>كل الفئات</translation>
    </message>
    <message>
      <source>All survey types</source>
      <translation>كل أنواع الاستبيان</translation>
    </message>
    <message>
      <source>Answers</source>
      <translation>الإجابات</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>By branch</source>
      <translation>حسب الفرع</translation>
    </message>
    <message>
      <source>By personal shopper</source>
      <translation>حسب المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>التعليق</translation>
    </message>
    <message>
      <source>Comments</source>
      <translation>التعليقات</translation>
    </message>
    <message>
      <source>Comments:</source>
      <translation>التعليقات:</translation>
    </message>
    <message>
      <source>Complaint</source>
      <translation>شكوى</translation>
    </message>
    <message>
      <source>Counting…</source>
      <translation>جارٍ العدّ…</translation>
    </message>
    <message>
      <source>Custom period</source>
      <translation>فترة مخصصة</translation>
    </message>
    <message>
      <source>Customer feedback</source>
      <translation>آراء العملاء</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Detractors (0–6)</source>
      <translation>المنتقدون (0–6)</translation>
    </message>
    <message>
      <source>Detractors</source>
      <translation>المنتقدون</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Few answers: this score can move a long way with the next ones; read it with its interval.</source>
      <translation>إجابات قليلة: قد تتغير هذه الدرجة كثيرًا مع الإجابات القادمة؛ اقرأها مع مجال الثقة.</translation>
    </message>
    <message>
      <source>General</source>
      <translation>عام</translation>
    </message>
    <message>
      <source>Last 12 months</source>
      <translation>آخر 12 شهرًا</translation>
    </message>
    <message>
      <source>Last 30 days</source>
      <translation>آخر 30 يومًا</translation>
    </message>
    <message>
      <source>Low scores waiting</source>
      <translation>درجات منخفضة بانتظار المتابعة</translation>
    </message>
    <message>
      <source>NPS by month (answers per month below)</source>
      <translation>صافي نقاط الترويج حسب الشهر (عدد الإجابات تحت كل شهر)</translation>
    </message>
    <message>
      <source>NPS by month</source>
      <translation>صافي نقاط الترويج حسب الشهر</translation>
    </message>
    <message>
      <source>NPS</source>
      <translation>صافي نقاط الترويج</translation>
    </message>
    <message>
      <source>Negative</source>
      <translation>سلبي</translation>
    </message>
    <message>
      <source>Net Promoter Score</source>
      <translation>صافي نقاط الترويج (NPS)</translation>
    </message>
    <message>
      <source>Neutral</source>
      <translation>محايد</translation>
    </message>
    <message>
      <source>No comment in this period.</source>
      <translation>لا تعليقات في هذه الفترة.</translation>
    </message>
    <message>
      <source>No low score is waiting.</source>
      <translation>لا توجد درجات منخفضة بانتظار المتابعة.</translation>
    </message>
    <message>
      <source>No personal shopper</source>
      <translation>بدون متسوق شخصي</translation>
    </message>
    <message>
      <source>No scored answer in this period.</source>
      <translation>لا إجابات بدرجة في هذه الفترة.</translation>
    </message>
    <message>
      <source>No ticket</source>
      <translation>بلا تذكرة</translation>
    </message>
    <message>
      <source>Passives (7–8)</source>
      <translation>المحايدون (7–8)</translation>
    </message>
    <message>
      <source>Passives</source>
      <translation>المحايدون</translation>
    </message>
    <message>
      <source>Personal shopper</source>
      <translation>المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Positive</source>
      <translation>إيجابي</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>منتج</translation>
    </message>
    <message>
      <source>Promoters (9–10)</source>
      <translation>المروّجون (9–10)</translation>
    </message>
    <message>
      <source>Promoters</source>
      <translation>المروّجون</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>تحديث</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>الدرجة</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>خدمة</translation>
    </message>
    <message>
      <source>Theme</source>
      <translation>الموضوع</translation>
    </message>
    <message>
      <source>Themes</source>
      <translation>المواضيع</translation>
    </message>
    <message>
      <source>Ticket</source>
      <translation>التذكرة</translation>
    </message>
    <message>
      <source>Waiting for</source>
      <translation>ينتظر منذ</translation>
    </message>
    <message>
      <source>Walk-in customer</source>
      <translation>عميل بدون حساب</translation>
    </message>
    <message>
      <source>Few answers</source>
      <translation>إجابات قليلة</translation>
    </message>
  </context>
  <context>
    <name>OpenTicketDialog</name>
    <message>
      <source>Open a ticket</source>
      <translation>فتح تذكرة</translation>
    </message>
    <message>
      <source>Open a support ticket</source>
      <translation>فتح تذكرة دعم</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>About receipt %1</source>
      <translation>بخصوص الإيصال %1</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>التصنيف</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>الأولوية</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>الموضوع</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>الوصف</translation>
    </message>
    <message>
      <source>What is it about, in a line</source>
      <translation>موضوع التذكرة في سطر واحد</translation>
    </message>
    <message>
      <source>What happened, in the customer's words (optional, up to %1 characters)</source>
      <translation>ما حدث بكلمات العميل (اختياري، حتى %1 حرف)</translation>
    </message>
    <message>
      <source>Cancel (Esc)</source>
      <translation>إلغاء (Esc)</translation>
    </message>
    <message>
      <source>Open the ticket (Ctrl+Enter)</source>
      <translation>فتح التذكرة (Ctrl+Enter)</translation>
    </message>
  </context>
  <context>
    <name>TicketDialog</name>
    <message>
      <source>Loading…</source>
      <translation>جارٍ التحميل…</translation>
    </message>
    <message>
      <source>This customer no longer exists.</source>
      <translation>هذا العميل لم يعد موجودًا.</translation>
    </message>
    <message>
      <source>Receipt %1</source>
      <translation>الإيصال %1</translation>
    </message>
    <message>
      <source>Feedback answer linked (see the customer's screen)</source>
      <translation>مرتبطة بإجابة تقييم (انظر شاشة العميل)</translation>
    </message>
    <message>
      <source>Unassigned</source>
      <translation>غير مسندة</translation>
    </message>
    <message>
      <source>The customer has not written in the last 24 hours: a reply goes as the approved ticket-reply template, on one line.</source>
      <translation>لم يكتب العميل خلال آخر 24 ساعة: يُرسل الرد بقالب الرد على التذاكر المعتمد، في سطر واحد.</translation>
    </message>
    <message>
      <source>The customer wrote within the last 24 hours: a reply goes as written.</source>
      <translation>كتب العميل خلال آخر 24 ساعة: يُرسل الرد كما كُتب.</translation>
    </message>
    <message>
      <source>Nobody</source>
      <translation>لا أحد</translation>
    </message>
    <message>
      <source>A colleague</source>
      <translation>زميل</translation>
    </message>
    <message>
      <source>Opened</source>
      <translation>فُتحت</translation>
    </message>
    <message>
      <source>Internal note · %1</source>
      <translation>ملاحظة داخلية · %1</translation>
    </message>
    <message>
      <source>Reply to the customer · %1</source>
      <translation>رد على العميل · %1</translation>
    </message>
    <message>
      <source>The customer wrote</source>
      <translation>كتب العميل</translation>
    </message>
    <message>
      <source>Nothing written yet.</source>
      <translation>لم يُكتب شيء بعد.</translation>
    </message>
    <message>
      <source>Status now: %1.</source>
      <translation>الحالة الآن: %1.</translation>
    </message>
    <message>
      <source>Priority now: %1.</source>
      <translation>الأولوية الآن: %1.</translation>
    </message>
    <message>
      <source>Assigned.</source>
      <translation>أُسندت.</translation>
    </message>
    <message>
      <source>No longer assigned.</source>
      <translation>لم تعد مسندة لأحد.</translation>
    </message>
    <message>
      <source>Note added.</source>
      <translation>أُضيفت الملاحظة.</translation>
    </message>
    <message>
      <source>Reply queued for the customer.</source>
      <translation>الرد في قائمة الإرسال إلى العميل.</translation>
    </message>
    <message>
      <source>Support ticket</source>
      <translation>تذكرة دعم</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Linked to</source>
      <translation>مرتبطة بـ</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>المصدر</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>الأولوية</translation>
    </message>
    <message>
      <source>Assignee</source>
      <translation>المسؤول</translation>
    </message>
    <message>
      <source>Due (SLA)</source>
      <translation>موعد الإنجاز (SLA)</translation>
    </message>
    <message>
      <source>Move to:</source>
      <translation>نقل إلى:</translation>
    </message>
    <message>
      <source>Customer's screen</source>
      <translation>شاشة العميل</translation>
    </message>
    <message>
      <source>Open the order</source>
      <translation>فتح الطلب</translation>
    </message>
    <message>
      <source>Set priority</source>
      <translation>تعيين الأولوية</translation>
    </message>
    <message>
      <source>Assign</source>
      <translation>إسناد</translation>
    </message>
    <message>
      <source>Take it</source>
      <translation>تولَّها بنفسك</translation>
    </message>
    <message>
      <source>Notes and messages, oldest first</source>
      <translation>الملاحظات والرسائل، الأقدم أولًا</translation>
    </message>
    <message>
      <source>A note for colleagues, or a reply to the customer (up to %1 characters)</source>
      <translation>ملاحظة للزملاء، أو رد على العميل (حتى %1 حرف)</translation>
    </message>
    <message>
      <source>Add internal note (Ctrl+Shift+Enter)</source>
      <translation>إضافة ملاحظة داخلية (Ctrl+Shift+Enter)</translation>
    </message>
    <message>
      <source>Reply to the customer (Ctrl+Enter)</source>
      <translation>الرد على العميل (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>Close the view</source>
      <translation>إغلاق العرض</translation>
    </message>
  </context>
  <context>
    <name>TicketQueuePage</name>
    <message>
      <source>Loading…</source>
      <translation>جارٍ التحميل…</translation>
    </message>
    <message>
      <source>%1 of %2 tickets shown · %3 overdue</source>
      <translation>المعروض: %1 من %2 تذكرة · المتأخرة: %3</translation>
    </message>
    <message>
      <source>Anyone</source>
      <translation>أي أحد</translation>
    </message>
    <message>
      <source>Mine</source>
      <translation>تذاكري</translation>
    </message>
    <message>
      <source>Unassigned</source>
      <translation>غير مسندة</translation>
    </message>
    <message>
      <source>Every branch</source>
      <translation>كل الفروع</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Exported %1 tickets.</source>
      <translation>التذاكر المصدّرة: %1.</translation>
    </message>
    <message>
      <source>Tickets</source>
      <translation>التذاكر</translation>
    </message>
    <message>
      <source>Support tickets</source>
      <translation>تذاكر الدعم</translation>
    </message>
    <message>
      <source>Filter by number, customer, mobile or subject (Ctrl+F)</source>
      <translation>تصفية بالرقم أو العميل أو الجوال أو الموضوع (Ctrl+F)</translation>
    </message>
    <message>
      <source>Still open</source>
      <translation>غير المغلقة</translation>
    </message>
    <message>
      <source>Every status</source>
      <translation>كل الحالات</translation>
    </message>
    <message>
      <source>Every priority</source>
      <translation>كل الأولويات</translation>
    </message>
    <message>
      <source>Overdue only</source>
      <translation>المتأخرة فقط</translation>
    </message>
    <message>
      <source>Open (Enter)</source>
      <translation>فتح (Enter)</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>No ticket matches these filters.</source>
      <translation>لا توجد تذكرة تطابق هذه المرشحات.</translation>
    </message>
  </context>
  <context>
    <name>TicketQueueModel</name>
    <message>
      <source>%1 d</source>
      <translation>%1 يوم</translation>
    </message>
    <message>
      <source>%1 h</source>
      <translation>%1 ساعة</translation>
    </message>
    <message>
      <source>%1 min</source>
      <translation>%1 دقيقة</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>الرقم</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Subject · category</source>
      <translation>الموضوع · التصنيف</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>الأولوية</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Assignee</source>
      <translation>المسؤول</translation>
    </message>
    <message>
      <source>Due (SLA)</source>
      <translation>موعد الإنجاز (SLA)</translation>
    </message>
    <message>
      <source>Age</source>
      <translation>العمر</translation>
    </message>
    <message>
      <source>Unassigned</source>
      <translation>غير مسندة</translation>
    </message>
  </context>
  <context>
    <name>ticket_labels</name>
    <message>
      <source>Open</source>
      <translation>مفتوحة</translation>
    </message>
    <message>
      <source>In progress</source>
      <translation>قيد المعالجة</translation>
    </message>
    <message>
      <source>Waiting for the customer</source>
      <translation>بانتظار العميل</translation>
    </message>
    <message>
      <source>Resolved</source>
      <translation>محلولة</translation>
    </message>
    <message>
      <source>Closed</source>
      <translation>مغلقة</translation>
    </message>
    <message>
      <source>Reopen</source>
      <translation>إعادة الفتح</translation>
    </message>
    <message>
      <source>Back to open</source>
      <translation>إعادة إلى مفتوحة</translation>
    </message>
    <message>
      <source>Start work</source>
      <translation>بدء المعالجة</translation>
    </message>
    <message>
      <source>Back to work</source>
      <translation>استئناف المعالجة</translation>
    </message>
    <message>
      <source>Wait for the customer</source>
      <translation>انتظار العميل</translation>
    </message>
    <message>
      <source>Resolve</source>
      <translation>حل</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>إغلاق التذكرة</translation>
    </message>
    <message>
      <source>Low</source>
      <translation>منخفضة</translation>
    </message>
    <message>
      <source>Medium</source>
      <translation>متوسطة</translation>
    </message>
    <message>
      <source>High</source>
      <translation>عالية</translation>
    </message>
    <message>
      <source>Urgent</source>
      <translation>عاجلة</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>منتج</translation>
    </message>
    <message>
      <source>Service</source>
      <translation>خدمة</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>طلب</translation>
    </message>
    <message>
      <source>Loyalty</source>
      <translation>الولاء</translation>
    </message>
    <message>
      <source>Complaint</source>
      <translation>شكوى</translation>
    </message>
    <message>
      <source>General</source>
      <translation>عام</translation>
    </message>
    <message>
      <source>At the till</source>
      <translation>عند نقطة البيع</translation>
    </message>
    <message>
      <source>From feedback</source>
      <translation>من تقييم</translation>
    </message>
    <message>
      <source>From WhatsApp</source>
      <translation>من واتساب</translation>
    </message>
    <message>
      <source>From SMS</source>
      <translation>من رسالة نصية</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>متأخرة</translation>
    </message>
    <message>
      <source>Due soon</source>
      <translation>تستحق قريبًا</translation>
    </message>
    <message>
      <source>Paused, waiting for the customer</source>
      <translation>متوقفة بانتظار رد العميل</translation>
    </message>
    <message>
      <source>On time</source>
      <translation>في الموعد</translation>
    </message>
    <message>
      <source>No deadline</source>
      <translation>بلا موعد</translation>
    </message>
    <message>
      <source>Waiting</source>
      <translation>بالانتظار</translation>
    </message>
  </context>
  <context>
    <name>SendSurveyDialog</name>
    <message>
      <source>Send a satisfaction survey</source>
      <translation>إرسال استبيان رضا</translation>
    </message>
    <message>
      <source>Each customer chosen is asked how likely they are to recommend us, from 0 to 10, on WhatsApp, SMS or email as their consent allows. Customers no channel can reach are left out. Messages wait for the allowed hours.</source>
      <translation>يُسأل كل عميل مختار عن مدى احتمال أن يوصي بنا، من 0 إلى 10، عبر واتساب أو الرسائل النصية أو البريد الإلكتروني بحسب موافقته. يُستثنى العملاء الذين لا تصلهم أي قناة. تنتظر الرسائل الساعات المسموح بها.</translation>
    </message>
    <message>
      <source>Segment (none ticked: every segment)</source>
      <translation>الفئة (بلا تحديد: كل الفئات)</translation>
    </message>
    <message>
      <source>Loyalty tier (none ticked: every tier)</source>
      <translation>مستوى الولاء (بلا تحديد: كل المستويات)</translation>
    </message>
    <message>
      <source>Yes, send it to all of these customers</source>
      <translation>نعم، أرسله إلى جميع هؤلاء العملاء</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>إغلاق</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
    <message>
      <source>Send survey</source>
      <translation>إرسال الاستبيان</translation>
    </message>
    <message>
      <source>Customers chosen: counting…</source>
      <translation>العملاء المختارون: جارٍ العد…</translation>
    </message>
    <message>
      <source>Customers chosen: %1</source>
      <translation>العملاء المختارون: %1</translation>
    </message>
    <message>
      <source>Sending…</source>
      <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
      <source>Surveys sent: %1.</source>
      <translation>الاستبيانات المرسلة: %1.</translation>
    </message>
    <message>
      <source>Not reachable on any channel they agreed to: %1.</source>
      <translation>لا تصلهم أي قناة وافقوا عليها: %1.</translation>
    </message>
    <message>
      <source>Asked already: %1.</source>
      <translation>سُئلوا من قبل: %1.</translation>
    </message>
  </context>
  <context>
    <name>AuditTrailPage</name>
    <message>
      <source> (more to load)</source>
      <translation> (وهناك المزيد)</translation>
    </message>
    <message>
      <source>%1 entries shown, newest first</source>
      <translation>%1 سجل معروض، الأحدث أولًا</translation>
    </message>
    <message>
      <source>All branches</source>
      <translation>كل الفروع</translation>
    </message>
    <message>
      <source>All staff</source>
      <translation>كل الموظفين</translation>
    </message>
    <message>
      <source>Any field</source>
      <translation>أي حقل</translation>
    </message>
    <message>
      <source>Audit trail</source>
      <translation>سجل التدقيق</translation>
    </message>
    <message>
      <source>Back in stock announced</source>
      <translation>إعلان توفر المنتج مجددًا</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Customer</source>
      <translation>العميل</translation>
    </message>
    <message>
      <source>Customer change</source>
      <translation>تعديل على عميل</translation>
    </message>
    <message>
      <source>Customer number (Ctrl+F)</source>
      <translation>رقم العميل (Ctrl+F)</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>التفاصيل</translation>
    </message>
    <message>
      <source>Every kind</source>
      <translation>كل الأنواع</translation>
    </message>
    <message>
      <source>Everything</source>
      <translation>الكل</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Export CSV (Ctrl+E)</source>
      <translation>تصدير CSV (Ctrl+E)</translation>
    </message>
    <message>
      <source>Exported %1 entries.</source>
      <translation>صُدِّر %1 سجل.</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>الحقل</translation>
    </message>
    <message>
      <source>Gift card not found</source>
      <translation>بطاقة هدايا غير موجودة</translation>
    </message>
    <message>
      <source>Last 12 months</source>
      <translation>آخر 12 شهرًا</translation>
    </message>
    <message>
      <source>Last 24 hours</source>
      <translation>آخر 24 ساعة</translation>
    </message>
    <message>
      <source>Last 30 days</source>
      <translation>آخر 30 يومًا</translation>
    </message>
    <message>
      <source>Last 7 days</source>
      <translation>آخر 7 أيام</translation>
    </message>
    <message>
      <source>Load more</source>
      <translation>تحميل المزيد</translation>
    </message>
    <message>
      <source>Locked after wrong PINs</source>
      <translation>قُفل بعد رموز سرية خاطئة</translation>
    </message>
    <message>
      <source>Nothing recorded matches these filters.</source>
      <translation>لا يوجد سجل يطابق عوامل التصفية هذه.</translation>
    </message>
    <message>
      <source>Occasion dates changed</source>
      <translation>تغيير مواعيد المناسبات</translation>
    </message>
    <message>
      <source>Refresh (F5)</source>
      <translation>تحديث (F5)</translation>
    </message>
    <message>
      <source>Security event</source>
      <translation>حدث أمني</translation>
    </message>
    <message>
      <source>Sensitive field shown</source>
      <translation>إظهار حقل حساس</translation>
    </message>
    <message>
      <source>Signed in</source>
      <translation>تسجيل دخول</translation>
    </message>
    <message>
      <source>Staff</source>
      <translation>الموظف</translation>
    </message>
    <message>
      <source>Terminal</source>
      <translation>الجهاز</translation>
    </message>
    <message>
      <source>Till unlocked</source>
      <translation>فتح قفل الصندوق</translation>
    </message>
    <message>
      <source>What</source>
      <translation>الحدث</translation>
    </message>
    <message>
      <source>When</source>
      <translation>التاريخ</translation>
    </message>
    <message>
      <source>Wrong PIN</source>
      <translation>رمز سري خاطئ</translation>
    </message>
  </context>
  <context>
    <name>ErasureLine</name>
    <message>
      <source>This customer's data was erased on %1 at their request. Invoices are kept by customer number only.</source>
      <translation>مُحيت بيانات هذا العميل في %1 بناءً على طلبه. تُحفظ الفواتير برقم العميل فقط.</translation>
    </message>
    <message>
      <source>Erasure requested on %1: head office decides.</source>
      <translation>طُلب محو البيانات في %1: يقرر المكتب الرئيسي.</translation>
    </message>
    <message>
      <source>Head office refused the erasure request: %1</source>
      <translation>رفض المكتب الرئيسي طلب محو البيانات: %1</translation>
    </message>
    <message>
      <source>Head office approved the erasure: it reaches this till at its next sync.</source>
      <translation>وافق المكتب الرئيسي على محو البيانات: يصل إلى نقطة البيع هذه عند المزامنة التالية.</translation>
    </message>
    <message>
      <source>Request erasure…</source>
      <translation>طلب محو البيانات…</translation>
    </message>
  </context>
  <context>
    <name>RequestErasureDialog</name>
    <message>
      <source>Request erasure</source>
      <translation>طلب محو البيانات</translation>
    </message>
    <message>
      <source>%1 asks to have their data erased. Head office decides. If it approves, their name, mobile, email, Emirates ID, birthday, address and notes, and the texts of their messages, feedback and tickets, are erased at every branch and cannot be brought back.

Invoices, loyalty points and gift-card balances are kept, by customer number only, for the VAT retention period (%2 years): a gift card's balance stays spendable.</source>
      <translation>يطلب %1 محو بياناته. يقرر المكتب الرئيسي ذلك. إذا وافق، تُمحى في كل الفروع أسماؤه ورقم هاتفه المتحرك وبريده الإلكتروني ورقم هويته الإماراتية وتاريخ ميلاده وعنوانه وملاحظاته، ونصوص رسائله وآرائه وتذاكره، ولا يمكن استرجاعها.

تُحفظ الفواتير ونقاط الولاء وأرصدة بطاقات الهدايا، برقم العميل فقط، طوال مدة الاحتفاظ بسجلات ضريبة القيمة المضافة (%2 سنوات): يبقى رصيد بطاقة الهدايا قابلاً للصرف.</translation>
    </message>
    <message>
      <source>The customer's reason, in their words:</source>
      <translation>سبب العميل، بكلماته:</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
  </context>
  <context>
    <name>CustomerExport</name>
    <message>
      <source>Profile</source>
      <translation>الملف الشخصي</translation>
    </message>
    <message>
      <source>Preferences</source>
      <translation>التفضيلات</translation>
    </message>
    <message>
      <source>Purchase summary</source>
      <translation>ملخص المشتريات</translation>
    </message>
    <message>
      <source>Changes to the profile</source>
      <translation>التغييرات على الملف</translation>
    </message>
    <message>
      <source>Purchases and returns</source>
      <translation>المشتريات والمرتجعات</translation>
    </message>
    <message>
      <source>Items bought</source>
      <translation>الأصناف المشتراة</translation>
    </message>
    <message>
      <source>Loyalty card</source>
      <translation>بطاقة الولاء</translation>
    </message>
    <message>
      <source>Loyalty points</source>
      <translation>نقاط الولاء</translation>
    </message>
    <message>
      <source>Rewards claimed</source>
      <translation>المكافآت المستبدلة بالنقاط</translation>
    </message>
    <message>
      <source>Gift cards bought or received</source>
      <translation>بطاقات الهدايا المشتراة أو المستلمة</translation>
    </message>
    <message>
      <source>Gift card transactions</source>
      <translation>حركات بطاقات الهدايا</translation>
    </message>
    <message>
      <source>Messages</source>
      <translation>الرسائل</translation>
    </message>
    <message>
      <source>Message delivery</source>
      <translation>تسليم الرسائل</translation>
    </message>
    <message>
      <source>Consent given or withdrawn</source>
      <translation>الموافقات الممنوحة أو المسحوبة</translation>
    </message>
    <message>
      <source>Feedback</source>
      <translation>الآراء والتقييمات</translation>
    </message>
    <message>
      <source>Surveys sent</source>
      <translation>الاستبيانات المرسلة</translation>
    </message>
    <message>
      <source>Support tickets</source>
      <translation>تذاكر الدعم</translation>
    </message>
    <message>
      <source>Ticket notes and replies</source>
      <translation>ملاحظات التذاكر والردود</translation>
    </message>
    <message>
      <source>VIP visits</source>
      <translation>زيارات كبار العملاء</translation>
    </message>
    <message>
      <source>Follow-ups</source>
      <translation>المتابعات</translation>
    </message>
    <message>
      <source>Waiting for products</source>
      <translation>بانتظار توفر المنتجات</translation>
    </message>
    <message>
      <source>Personal shoppers</source>
      <translation>المتسوقون الشخصيون</translation>
    </message>
    <message>
      <source>Campaigns received</source>
      <translation>الحملات المستلمة</translation>
    </message>
    <message>
      <source>Offers used</source>
      <translation>العروض المستخدمة</translation>
    </message>
    <message>
      <source>Access to this data</source>
      <translation>الوصول إلى هذه البيانات</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>الإجراء</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>العنوان</translation>
    </message>
    <message>
      <source>Amount</source>
      <translation>المبلغ</translation>
    </message>
    <message>
      <source>Answered</source>
      <translation>تاريخ الإجابة</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>المنطقة</translation>
    </message>
    <message>
      <source>Assigned</source>
      <translation>تاريخ التعيين</translation>
    </message>
    <message>
      <source>When</source>
      <translation>الوقت</translation>
    </message>
    <message>
      <source>Attempts</source>
      <translation>المحاولات</translation>
    </message>
    <message>
      <source>Average purchase</source>
      <translation>متوسط الشراء</translation>
    </message>
    <message>
      <source>Back in stock</source>
      <translation>عاد إلى المخزون</translation>
    </message>
    <message>
      <source>Birthday</source>
      <translation>تاريخ الميلاد</translation>
    </message>
    <message>
      <source>Text</source>
      <translation>النص</translation>
    </message>
    <message>
      <source>Brand</source>
      <translation>العلامة التجارية</translation>
    </message>
    <message>
      <source>Brands</source>
      <translation>العلامات التجارية</translation>
    </message>
    <message>
      <source>Budget up to</source>
      <translation>الميزانية حتى</translation>
    </message>
    <message>
      <source>Budget from</source>
      <translation>الميزانية من</translation>
    </message>
    <message>
      <source>Over capacity</source>
      <translation>فوق السعة</translation>
    </message>
    <message>
      <source>Card number</source>
      <translation>رقم البطاقة</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Changes</source>
      <translation>التغييرات</translation>
    </message>
    <message>
      <source>Channel</source>
      <translation>القناة</translation>
    </message>
    <message>
      <source>Churn risk</source>
      <translation>احتمال الانقطاع</translation>
    </message>
    <message>
      <source>Code</source>
      <translation>الرمز</translation>
    </message>
    <message>
      <source>Comment</source>
      <translation>التعليق</translation>
    </message>
    <message>
      <source>Email consent</source>
      <translation>الموافقة على البريد الإلكتروني</translation>
    </message>
    <message>
      <source>SMS consent</source>
      <translation>الموافقة على الرسائل النصية</translation>
    </message>
    <message>
      <source>WhatsApp consent</source>
      <translation>الموافقة على واتساب</translation>
    </message>
    <message>
      <source>Corporate batch</source>
      <translation>دفعة الشركات</translation>
    </message>
    <message>
      <source>Cost</source>
      <translation>التكلفة</translation>
    </message>
    <message>
      <source>Recorded</source>
      <translation>تاريخ التسجيل</translation>
    </message>
    <message>
      <source>Not a VIP</source>
      <translation>ليس من كبار العملاء</translation>
    </message>
    <message>
      <source>Removed</source>
      <translation>محذوف</translation>
    </message>
    <message>
      <source>Delivered</source>
      <translation>تاريخ التسليم</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>الوصف</translation>
    </message>
    <message>
      <source>Detail</source>
      <translation>التفاصيل</translation>
    </message>
    <message>
      <source>Direction</source>
      <translation>الاتجاه</translation>
    </message>
    <message>
      <source>Discount</source>
      <translation>الخصم</translation>
    </message>
    <message>
      <source>Dislikes</source>
      <translation>ما لا يفضله</translation>
    </message>
    <message>
      <source>Due</source>
      <translation>موعد الاستحقاق</translation>
    </message>
    <message>
      <source>Due on</source>
      <translation>تاريخ الاستحقاق</translation>
    </message>
    <message>
      <source>Minutes</source>
      <translation>الدقائق</translation>
    </message>
    <message>
      <source>Email</source>
      <translation>البريد الإلكتروني</translation>
    </message>
    <message>
      <source>Emirate</source>
      <translation>الإمارة</translation>
    </message>
    <message>
      <source>Ended</source>
      <translation>تاريخ الانتهاء</translation>
    </message>
    <message>
      <source>Escalated</source>
      <translation>تاريخ التصعيد</translation>
    </message>
    <message>
      <source>Evidence</source>
      <translation>الإثبات</translation>
    </message>
    <message>
      <source>Expires</source>
      <translation>ينتهي في</translation>
    </message>
    <message>
      <source>Expires on</source>
      <translation>تاريخ الانتهاء</translation>
    </message>
    <message>
      <source>Failed</source>
      <translation>تاريخ الفشل</translation>
    </message>
    <message>
      <source>Fragrance families</source>
      <translation>عائلات العطور</translation>
    </message>
    <message>
      <source>Fragrance family</source>
      <translation>عائلة العطر</translation>
    </message>
    <message>
      <source>Favourite notes</source>
      <translation>النوتات المفضلة</translation>
    </message>
    <message>
      <source>First name (Arabic)</source>
      <translation>الاسم الأول (بالعربية)</translation>
    </message>
    <message>
      <source>First name (English)</source>
      <translation>الاسم الأول (بالإنجليزية)</translation>
    </message>
    <message>
      <source>From</source>
      <translation>من</translation>
    </message>
    <message>
      <source>Initial value</source>
      <translation>القيمة الأولية</translation>
    </message>
    <message>
      <source>Intensity</source>
      <translation>الكثافة</translation>
    </message>
    <message>
      <source>Choices offered</source>
      <translation>الخيارات المعروضة</translation>
    </message>
    <message>
      <source>Internal note</source>
      <translation>ملاحظة داخلية</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>النوع</translation>
    </message>
    <message>
      <source>Last error</source>
      <translation>آخر خطأ</translation>
    </message>
    <message>
      <source>Last name (Arabic)</source>
      <translation>اسم العائلة (بالعربية)</translation>
    </message>
    <message>
      <source>Last name (English)</source>
      <translation>اسم العائلة (بالإنجليزية)</translation>
    </message>
    <message>
      <source>Last purchase</source>
      <translation>آخر شراء</translation>
    </message>
    <message>
      <source>Spent in all</source>
      <translation>إجمالي الإنفاق</translation>
    </message>
    <message>
      <source>Low score</source>
      <translation>تقييم منخفض</translation>
    </message>
    <message>
      <source>Message</source>
      <translation>الرسالة</translation>
    </message>
    <message>
      <source>Mobile</source>
      <translation>الجوال</translation>
    </message>
    <message>
      <source>Mood</source>
      <translation>الانطباع</translation>
    </message>
    <message>
      <source>Before VAT</source>
      <translation>قبل ضريبة القيمة المضافة</translation>
    </message>
    <message>
      <source>Next attempt</source>
      <translation>المحاولة التالية</translation>
    </message>
    <message>
      <source>Next follow-up</source>
      <translation>المتابعة التالية</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>ملاحظة</translation>
    </message>
    <message>
      <source>Notes</source>
      <translation>ملاحظات</translation>
    </message>
    <message>
      <source>Recommendation score</source>
      <translation>درجة التوصية</translation>
    </message>
    <message>
      <source>Number</source>
      <translation>الرقم</translation>
    </message>
    <message>
      <source>Occasion</source>
      <translation>المناسبة</translation>
    </message>
    <message>
      <source>Occasions</source>
      <translation>المناسبات</translation>
    </message>
    <message>
      <source>Occurrence</source>
      <translation>المرة</translation>
    </message>
    <message>
      <source>Offer code</source>
      <translation>رمز العرض</translation>
    </message>
    <message>
      <source>Offer expires on</source>
      <translation>ينتهي العرض في</translation>
    </message>
    <message>
      <source>Awaiting head office</source>
      <translation>بانتظار المكتب الرئيسي</translation>
    </message>
    <message>
      <source>Purchases</source>
      <translation>عدد المشتريات</translation>
    </message>
    <message>
      <source>Outcome</source>
      <translation>النتيجة</translation>
    </message>
    <message>
      <source>Message values</source>
      <translation>قيم الرسالة</translation>
    </message>
    <message>
      <source>P.O. Box</source>
      <translation>صندوق البريد</translation>
    </message>
    <message>
      <source>Points</source>
      <translation>النقاط</translation>
    </message>
    <message>
      <source>Preferred channel</source>
      <translation>القناة المفضلة</translation>
    </message>
    <message>
      <source>Preferred language</source>
      <translation>اللغة المفضلة</translation>
    </message>
    <message>
      <source>Priority</source>
      <translation>الأولوية</translation>
    </message>
    <message>
      <source>Product</source>
      <translation>المنتج</translation>
    </message>
    <message>
      <source>Products bought</source>
      <translation>المنتجات المشتراة</translation>
    </message>
    <message>
      <source>Products tried</source>
      <translation>المنتجات التي جرّبها</translation>
    </message>
    <message>
      <source>Provider</source>
      <translation>المزوّد</translation>
    </message>
    <message>
      <source>Provider code</source>
      <translation>رمز المزوّد</translation>
    </message>
    <message>
      <source>Purpose</source>
      <translation>الغرض</translation>
    </message>
    <message>
      <source>Quantity</source>
      <translation>الكمية</translation>
    </message>
    <message>
      <source>Rating</source>
      <translation>التقييم</translation>
    </message>
    <message>
      <source>Read</source>
      <translation>تاريخ القراءة</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>السبب</translation>
    </message>
    <message>
      <source>Sent to</source>
      <translation>أُرسلت إلى</translation>
    </message>
    <message>
      <source>Recipient</source>
      <translation>المستلم</translation>
    </message>
    <message>
      <source>Bought or received</source>
      <translation>مشتراة أو مستلمة</translation>
    </message>
    <message>
      <source>Reward (Arabic)</source>
      <translation>المكافأة (بالعربية)</translation>
    </message>
    <message>
      <source>Reward (English)</source>
      <translation>المكافأة (بالإنجليزية)</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Sent</source>
      <translation>تاريخ الإرسال</translation>
    </message>
    <message>
      <source>Sentiment</source>
      <translation>الانطباع العام</translation>
    </message>
    <message>
      <source>Sentiment score</source>
      <translation>درجة الانطباع</translation>
    </message>
    <message>
      <source>Size (ml)</source>
      <translation>الحجم (مل)</translation>
    </message>
    <message>
      <source>Sizes (ml)</source>
      <translation>الأحجام (مل)</translation>
    </message>
    <message>
      <source>Product code</source>
      <translation>رمز المنتج</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>المصدر</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>الحالة</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>الموضوع</translation>
    </message>
    <message>
      <source>Survey sent</source>
      <translation>تاريخ إرسال الاستبيان</translation>
    </message>
    <message>
      <source>Paid with</source>
      <translation>طريقة الدفع</translation>
    </message>
    <message>
      <source>Till</source>
      <translation>نقطة البيع</translation>
    </message>
    <message>
      <source>Tier</source>
      <translation>المستوى</translation>
    </message>
    <message>
      <source>Time zone</source>
      <translation>المنطقة الزمنية</translation>
    </message>
    <message>
      <source>Total</source>
      <translation>الإجمالي</translation>
    </message>
    <message>
      <source>Unit price</source>
      <translation>سعر الوحدة</translation>
    </message>
    <message>
      <source>Variant</source>
      <translation>النسخة</translation>
    </message>
    <message>
      <source>VAT</source>
      <translation>ضريبة القيمة المضافة</translation>
    </message>
    <message>
      <source>Visited</source>
      <translation>تاريخ الزيارة</translation>
    </message>
    <message>
      <source>Waiting since</source>
      <translation>بانتظار منذ</translation>
    </message>
    <message>
      <source>Emirates ID</source>
      <translation>رقم الهوية الإماراتية</translation>
    </message>
    <message>
      <source>Customer data export</source>
      <translation>تصدير بيانات العميل</translation>
    </message>
    <message>
      <source>Exported %1 by %2</source>
      <translation>صُدّرت في %1 بواسطة %2</translation>
    </message>
    <message>
      <source>Page %1</source>
      <translation>صفحة %1</translation>
    </message>
    <message>
      <source>Nothing recorded.</source>
      <translation>لا يوجد شيء مسجّل.</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>نعم</translation>
    </message>
    <message>
      <source>No</source>
      <translation>لا</translation>
    </message>
  </context>
  <context>
    <name>ExportCustomerDialog</name>
    <message>
      <source>Where to save the customer's data</source>
      <translation>مكان حفظ بيانات العميل</translation>
    </message>
    <message>
      <source>Choose a folder that exists.</source>
      <translation>اختر مجلداً موجوداً.</translation>
    </message>
    <message>
      <source>Writing the customer's data…</source>
      <translation>جارٍ كتابة بيانات العميل…</translation>
    </message>
    <message>
      <source>Stopping…</source>
      <translation>جارٍ الإيقاف…</translation>
    </message>
    <message>
      <source>%1 records saved in:
%2
%3</source>
      <translation>حُفظت %1 من السجلات في:
%2
%3</translation>
    </message>
    <message>
      <source>Export cancelled. No file was kept.</source>
      <translation>أُلغي التصدير. لم يُحتفظ بأي ملف.</translation>
    </message>
    <message>
      <source>The files could not be written: %1</source>
      <translation>تعذّرت كتابة الملفات: %1</translation>
    </message>
    <message>
      <source>Export this customer's data</source>
      <translation>تصدير بيانات هذا العميل</translation>
    </message>
    <message>
      <source>Everything held about this customer is saved as two files: a JSON file for other systems and a PDF in English and Arabic for the customer. The export is recorded with your name.</source>
      <translation>يُحفظ كل ما لدينا عن هذا العميل في ملفين: ملف JSON للأنظمة الأخرى وملف PDF بالعربية والإنجليزية للعميل. يُسجَّل التصدير باسمك.</translation>
    </message>
    <message>
      <source>Save in &amp;folder:</source>
      <translation>الحفظ في &amp;مجلد:</translation>
    </message>
    <message>
      <source>Choose folder…</source>
      <translation>اختيار مجلد…</translation>
    </message>
    <message>
      <source>Export (Ctrl+Enter)</source>
      <translation>تصدير (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>إلغاء</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>إغلاق</translation>
    </message>
  </context>
  <context>
    <name>CustomerInsightsTab</name>
    <message>
      <source>Insights</source>
      <translation>رؤى</translation>
    </message>
    <message>
      <source>No figures for this customer yet.</source>
      <translation>لا أرقام لهذا العميل بعد.</translation>
    </message>
    <message>
      <source>Figures as of %1</source>
      <translation>الأرقام حتى %1</translation>
    </message>
    <message>
      <source>Not enough data</source>
      <translation>البيانات غير كافية</translation>
    </message>
    <message>
      <source>%1 %</source>
      <translation>%1٪</translation>
    </message>
    <message>
      <source>From this customer's own rhythm and how long customers stay.</source>
      <translation>من نمط شراء هذا العميل نفسه ومدة بقاء العملاء عادةً.</translation>
    </message>
    <message>
      <source>recency %1, frequency %2, spend %3 of 5</source>
      <translation>الحداثة %1، التكرار %2، الإنفاق %3 من 5</translation>
    </message>
    <message>
      <source>Prediction: the model beat each customer's own average on the last six months held back.</source>
      <translation>تنبؤ: تفوّق النموذج على متوسط كل عميل في الأشهر الستة الأخيرة المحجوبة عنه.</translation>
    </message>
    <message>
      <source>Estimate, not a prediction: on the last six months held back it did not beat each customer's own average.</source>
      <translation>تقدير لا تنبؤ: لم يتفوّق النموذج على متوسط كل عميل في الأشهر الستة الأخيرة المحجوبة عنه.</translation>
    </message>
    <message>
      <source>Estimate, not a prediction: too little history yet to check it on held-back months.</source>
      <translation>تقدير لا تنبؤ: السجل أقصر من أن يُختبر على أشهر محجوبة.</translation>
    </message>
    <message>
      <source>No model for this store yet: %1</source>
      <translation>لا نموذج لهذا المتجر بعد: %1</translation>
    </message>
    <message>
      <source>%1, %2</source>
      <translation>%1، %2</translation>
    </message>
    <message>
      <source>%1; %2</source>
      <translation>%1؛ %2</translation>
    </message>
    <message>
      <source>The next 12 months, discounted 1 % a month. Spent %1 so far, %2 a visit.</source>
      <translation>الأشهر الـ12 القادمة، بخصم 1٪ شهريًا. أنفق %1 حتى الآن، %2 للزيارة.</translation>
    </message>
    <message>
      <source>No purchases or declared preferences yet.</source>
      <translation>لا مشتريات ولا تفضيلات مُعلنة بعد.</translation>
    </message>
    <message>
      <source>What they bought most, recent purchases counting most.</source>
      <translation>أكثر ما اشتراه، والمشتريات الأحدث أثقل وزنًا.</translation>
    </message>
    <message>
      <source>What they told us they like; not bought yet.</source>
      <translation>ما أخبرنا أنه يفضّله؛ لم يشترِه بعد.</translation>
    </message>
    <message>
      <source>What they buy most, and told us they like.</source>
      <translation>أكثر ما يشتريه، وأخبرنا أنه يفضّله.</translation>
    </message>
    <message>
      <source>A customer's insights are for managers and the customer's personal shopper.</source>
      <translation>رؤى العميل للمديرين وللمتسوق الشخصي للعميل.</translation>
    </message>
    <message>
      <source>Lifetime value (12 months)</source>
      <translation>القيمة مدى الحياة (12 شهرًا)</translation>
    </message>
    <message>
      <source>Churn risk</source>
      <translation>خطر فقدان العميل</translation>
    </message>
    <message>
      <source>Expected purchases, next 90 days</source>
      <translation>المشتريات المتوقعة خلال 90 يومًا</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Next likely purchase</source>
      <translation>الشراء المرجّح التالي</translation>
    </message>
    <message numerus="yes">
      <source>Bought %n time(s)</source>
      <translation>
        <numerusform>لم يشترِ بعد</numerusform>
        <numerusform>اشترى مرة واحدة</numerusform>
        <numerusform>اشترى مرتين</numerusform>
        <numerusform>اشترى %n مرات</numerusform>
        <numerusform>اشترى %n مرة</numerusform>
        <numerusform>اشترى %n مرة</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>last %n day(s) ago</source>
      <translation>
        <numerusform>آخرها اليوم</numerusform>
        <numerusform>آخرها قبل يوم واحد</numerusform>
        <numerusform>آخرها قبل يومين</numerusform>
        <numerusform>آخرها قبل %n أيام</numerusform>
        <numerusform>آخرها قبل %n يومًا</numerusform>
        <numerusform>آخرها قبل %n يوم</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>usually every %n day(s)</source>
      <translation>
        <numerusform>عادةً في اليوم نفسه</numerusform>
        <numerusform>عادةً كل يوم</numerusform>
        <numerusform>عادةً كل يومين</numerusform>
        <numerusform>عادةً كل %n أيام</numerusform>
        <numerusform>عادةً كل %n يومًا</numerusform>
        <numerusform>عادةً كل %n يوم</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>AnalyticsPage</name>
    <message>
      <source>Sales and seasons</source>
      <translation>المبيعات والمواسم</translation>
    </message>
    <message>
      <source>Customers</source>
      <translation>العملاء</translation>
    </message>
    <message>
      <source>Loyalty</source>
      <translation>الولاء</translation>
    </message>
    <message>
      <source>Gift cards</source>
      <translation>بطاقات الهدايا</translation>
    </message>
    <message>
      <source>Personal shoppers</source>
      <translation>المتسوقون الشخصيون</translation>
    </message>
    <message>
      <source>Campaigns and feedback</source>
      <translation>الحملات وآراء العملاء</translation>
    </message>
    <message>
      <source>By month</source>
      <translation>حسب الشهر</translation>
    </message>
    <message>
      <source>By Hijri season, per day</source>
      <translation>حسب الموسم الهجري، لكل يوم</translation>
    </message>
    <message>
      <source>By weekday and hour</source>
      <translation>حسب اليوم والساعة</translation>
    </message>
    <message>
      <source>Lifetime value</source>
      <translation>القيمة مدى الحياة</translation>
    </message>
    <message>
      <source>By segment</source>
      <translation>حسب الفئة</translation>
    </message>
    <message>
      <source>Tier migration</source>
      <translation>الانتقال بين المستويات</translation>
    </message>
    <message>
      <source>By tier</source>
      <translation>حسب المستوى</translation>
    </message>
    <message>
      <source>Time to first use</source>
      <translation>المدة حتى أول استخدام</translation>
    </message>
    <message>
      <source>Liability ageing</source>
      <translation>أعمار الأرصدة القائمة</translation>
    </message>
    <message>
      <source>By personal shopper</source>
      <translation>حسب المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Campaigns</source>
      <translation>الحملات</translation>
    </message>
    <message>
      <source>NPS by month</source>
      <translation>صافي نقاط الترويج حسب الشهر</translation>
    </message>
    <message>
      <source>NPS by branch</source>
      <translation>صافي نقاط الترويج حسب الفرع</translation>
    </message>
    <message>
      <source>Month</source>
      <translation>الشهر</translation>
    </message>
    <message>
      <source>Orders</source>
      <translation>الطلبات</translation>
    </message>
    <message>
      <source>Sales</source>
      <translation>المبيعات</translation>
    </message>
    <message>
      <source>Returns</source>
      <translation>المرتجعات</translation>
    </message>
    <message>
      <source>Net</source>
      <translation>الصافي</translation>
    </message>
    <message>
      <source>Average sale</source>
      <translation>متوسط البيع</translation>
    </message>
    <message>
      <source>Season</source>
      <translation>الموسم</translation>
    </message>
    <message>
      <source>Days</source>
      <translation>الأيام</translation>
    </message>
    <message>
      <source>Per day</source>
      <translation>لكل يوم</translation>
    </message>
    <message>
      <source>Against ordinary days</source>
      <translation>مقارنةً بالأيام العادية</translation>
    </message>
    <message>
      <source>Weekday</source>
      <translation>اليوم</translation>
    </message>
    <message>
      <source>Hour</source>
      <translation>الساعة</translation>
    </message>
    <message>
      <source>New</source>
      <translation>جدد</translation>
    </message>
    <message>
      <source>Active</source>
      <translation>نشطون</translation>
    </message>
    <message>
      <source>Churned</source>
      <translation>منقطعون</translation>
    </message>
    <message>
      <source>Share</source>
      <translation>النسبة</translation>
    </message>
    <message>
      <source>Segment</source>
      <translation>الفئة</translation>
    </message>
    <message>
      <source>Per buyer</source>
      <translation>لكل مشترٍ</translation>
    </message>
    <message>
      <source>From tier</source>
      <translation>من مستوى</translation>
    </message>
    <message>
      <source>To tier</source>
      <translation>إلى مستوى</translation>
    </message>
    <message>
      <source>Tier</source>
      <translation>المستوى</translation>
    </message>
    <message>
      <source>Members</source>
      <translation>الأعضاء</translation>
    </message>
    <message>
      <source>Points issued</source>
      <translation>النقاط الممنوحة</translation>
    </message>
    <message>
      <source>Points redeemed</source>
      <translation>النقاط المستخدمة</translation>
    </message>
    <message>
      <source>Points expired</source>
      <translation>النقاط المنتهية</translation>
    </message>
    <message>
      <source>Redemption rate</source>
      <translation>نسبة الاستخدام</translation>
    </message>
    <message>
      <source>Bucket</source>
      <translation>الفترة</translation>
    </message>
    <message>
      <source>Cards</source>
      <translation>البطاقات</translation>
    </message>
    <message>
      <source>Balance</source>
      <translation>الرصيد</translation>
    </message>
    <message>
      <source>Cards sold</source>
      <translation>البطاقات المبيعة</translation>
    </message>
    <message>
      <source>Value sold</source>
      <translation>القيمة المبيعة</translation>
    </message>
    <message>
      <source>Personal shopper</source>
      <translation>المتسوق الشخصي</translation>
    </message>
    <message>
      <source>Visits</source>
      <translation>الزيارات</translation>
    </message>
    <message>
      <source>VIP retention</source>
      <translation>الاحتفاظ بكبار العملاء</translation>
    </message>
    <message>
      <source>NPS</source>
      <translation>صافي نقاط الترويج</translation>
    </message>
    <message>
      <source>Answers</source>
      <translation>الإجابات</translation>
    </message>
    <message>
      <source>Campaign</source>
      <translation>الحملة</translation>
    </message>
    <message>
      <source>Recipients</source>
      <translation>المستلمون</translation>
    </message>
    <message>
      <source>Converted</source>
      <translation>اشتروا</translation>
    </message>
    <message>
      <source>Control group</source>
      <translation>المجموعة الضابطة</translation>
    </message>
    <message>
      <source>Control converted</source>
      <translation>اشترى من الضابطة</translation>
    </message>
    <message>
      <source>Lift (95 % interval)</source>
      <translation>الأثر (مجال ثقة 95 ٪)</translation>
    </message>
    <message>
      <source>Offers redeemed</source>
      <translation>العروض المستخدمة</translation>
    </message>
    <message>
      <source>Discount given</source>
      <translation>الخصم الممنوح</translation>
    </message>
    <message>
      <source>Promoters</source>
      <translation>المروّجون</translation>
    </message>
    <message>
      <source>Passives</source>
      <translation>المحايدون</translation>
    </message>
    <message>
      <source>Detractors</source>
      <translation>المنتقدون</translation>
    </message>
    <message>
      <source>Branch</source>
      <translation>الفرع</translation>
    </message>
    <message>
      <source>Sold</source>
      <translation>المبيع</translation>
    </message>
    <message>
      <source>Returned</source>
      <translation>المرتجع</translation>
    </message>
    <message>
      <source>New customers</source>
      <translation>عملاء جدد</translation>
    </message>
    <message>
      <source>Active customers</source>
      <translation>عملاء نشطون</translation>
    </message>
    <message>
      <source>Customers who bought</source>
      <translation>عملاء اشتروا</translation>
    </message>
    <message>
      <source>Redeemed</source>
      <translation>المستخدم</translation>
    </message>
    <message>
      <source>Breakage</source>
      <translation>غير المستخدم</translation>
    </message>
    <message>
      <source>Cost of the program</source>
      <translation>تكلفة البرنامج</translation>
    </message>
    <message>
      <source>Points outstanding</source>
      <translation>النقاط القائمة</translation>
    </message>
    <message>
      <source>Liability</source>
      <translation>الالتزام القائم</translation>
    </message>
    <message>
      <source>Value redeemed</source>
      <translation>القيمة المستخدمة</translation>
    </message>
    <message>
      <source>Value expired</source>
      <translation>القيمة المنتهية</translation>
    </message>
    <message>
      <source>Answers with a score</source>
      <translation>إجابات بدرجة</translation>
    </message>
    <message>
      <source>%1 (%2 of %3)</source>
      <translation>%1 (%2 من %3)</translation>
    </message>
    <message>
      <source>Not used yet</source>
      <translation>لم تُستخدم بعد</translation>
    </message>
    <message>
      <source>Over %1 days</source>
      <translation>أكثر من %1 يومًا</translation>
    </message>
    <message>
      <source>%1–%2 days</source>
      <translation>%1–%2 يومًا</translation>
    </message>
    <message>
      <source>Below zero (returns)</source>
      <translation>أقل من صفر (مرتجعات)</translation>
    </message>
    <message>
      <source>From %1</source>
      <translation>من %1</translation>
    </message>
    <message>
      <source>%1 pts (%2 to %3)</source>
      <translation>%1 نقطة (%2 إلى %3)</translation>
    </message>
    <message>
      <source>Same day</source>
      <translation>في اليوم نفسه</translation>
    </message>
    <message>
      <source>Under %1 days</source>
      <translation>أقل من %1 يومًا</translation>
    </message>
    <message>
      <source>No figures yet: recompute them.</source>
      <translation>لا أرقام بعد: أعد حسابها.</translation>
    </message>
    <message>
      <source>No figures yet: they come from head office with the next sync.</source>
      <translation>لا أرقام بعد: تصل من المكتب الرئيسي مع المزامنة التالية.</translation>
    </message>
    <message>
      <source>Computed at %1</source>
      <translation>حُسبت في %1</translation>
    </message>
    <message>
      <source>No figures for this choice yet.</source>
      <translation>لا أرقام لهذا الاختيار بعد.</translation>
    </message>
    <message>
      <source>Not enough data for this period: no sale, no points, no cards and no answers in it.</source>
      <translation>لا تكفي البيانات لهذه الفترة: لا مبيعات ولا نقاط ولا بطاقات ولا إجابات فيها.</translation>
    </message>
    <message>
      <source>The whole chain</source>
      <translation>كل الفروع</translation>
    </message>
    <message>
      <source>All segments</source>
      <translation>كل الفئات</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <source>Business dashboards</source>
      <translation>لوحات الأعمال</translation>
    </message>
    <message>
      <source>Recompute now</source>
      <translation>أعد الحساب الآن</translation>
    </message>
    <message>
      <source>Export CSV</source>
      <translation>تصدير CSV</translation>
    </message>
    <message>
      <source>Export PDF</source>
      <translation>تصدير PDF</translation>
    </message>
    <message>
      <source>Last 30 days</source>
      <translation>آخر 30 يومًا</translation>
    </message>
    <message>
      <source>Last 90 days</source>
      <translation>آخر 90 يومًا</translation>
    </message>
    <message>
      <source>Last 12 months</source>
      <translation>آخر 12 شهرًا</translation>
    </message>
    <message>
      <source>All history</source>
      <translation>كل السجل</translation>
    </message>
    <message>
      <source>Nothing to show for this choice.</source>
      <translation>لا شيء لعرضه لهذا الاختيار.</translation>
    </message>
  </context>
  <context>
    <name>DashboardTab</name>
    <message>
      <source> (AED)</source>
      <translation> (درهم)</translation>
    </message>
    <message>
      <source>Not enough data for this chart in this period.</source>
      <translation>لا تكفي البيانات لهذا الرسم في هذه الفترة.</translation>
    </message>
  </context>
</TS>
