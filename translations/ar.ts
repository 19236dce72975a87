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
    </context>
    <context>
        <name>CustomerForm</name>
        <message>
            <source>— not given —</source>
            <translation>— غير محدد —</translation>
        </message>
        <message>
            <source>Consent</source>
            <translation>الموافقة</translation>
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
        <name>SignInPage</name>
        <message>
            <source>Choose your name in the list.</source>
            <translation>اختر اسمك من القائمة.</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>تسجيل الدخول</translation>
        </message>
        <message>
            <source>Who is at the till?</source>
            <translation>من على الصندوق؟</translation>
        </message>
        <message>
            <source>&amp;PIN</source>
            <translation>&amp;الرمز السري</translation>
        </message>
        <message>
            <source>Type your PIN and press Enter</source>
            <translation>اكتب رمزك السري واضغط Enter</translation>
        </message>
        <message>
            <source>Demo store — PINs: cashier 1111, personal shopper 2222, manager 3333, administrator 4444.</source>
            <translation>متجر تجريبي — الرموز السرية: أمين الصندوق 1111، المتسوق الشخصي 2222، المدير 3333، مسؤول النظام 4444.</translation>
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
    </context>
    <context>
        <name>SyncPage</name>
        <message>
            <source>%1 changes waiting for head office</source>
            <translation>%1 تغييرًا بانتظار المكتب الرئيسي</translation>
        </message>
        <message>
            <source>Head office sync</source>
            <translation>المزامنة مع المكتب الرئيسي</translation>
        </message>
        <message>
            <source>Standalone</source>
            <translation>مستقل</translation>
        </message>
        <message>
            <source>No head office is configured for this store. Everything works here; every change is kept in order so it can be sent when this branch is connected to head office.</source>
            <translation>لم يُضبط مكتب رئيسي لهذا المتجر. كل شيء يعمل هنا، وكل تغيير محفوظ بترتيبه ليُرسل عند ربط هذا الفرع بالمكتب الرئيسي.</translation>
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
            <source>Yes</source>
            <translation>نعم</translation>
        </message>
        <message>
            <source>No</source>
            <translation>لا</translation>
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
</TS>
