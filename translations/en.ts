<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CountedMessages</name>
    <message numerus="yes">
        <source>Wrong PIN. {left} attempt(s) left before the account locks.</source>
        <translation>
            <numerusform>Wrong PIN. {left} attempt left before the account locks.</numerusform>
            <numerusform>Wrong PIN. {left} attempts left before the account locks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in {minutes} minute(s) or ask a manager.</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in {minutes} minute or ask a manager.</numerusform>
            <numerusform>Too many wrong PINs. Try again in {minutes} minutes or ask a manager.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minute(s); ask a manager.</source>
        <translation>
            <numerusform>Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minute; ask a manager.</numerusform>
            <numerusform>Too many unknown gift-card codes on this till. Look-ups are paused for {minutes} minutes; ask a manager.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The customer has already claimed this reward {limit} time(s), the most allowed.</source>
        <translation>
            <numerusform>The customer has already claimed this reward {limit} time, the most allowed.</numerusform>
            <numerusform>The customer has already claimed this reward {limit} times, the most allowed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The customer holds {balance} point(s); redeem at most that.</source>
        <translation>
            <numerusform>The customer holds {balance} point; redeem at most that.</numerusform>
            <numerusform>The customer holds {balance} points; redeem at most that.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Redeem at least {min} point(s) at a time.</source>
        <translation>
            <numerusform>Redeem at least {min} point at a time.</numerusform>
            <numerusform>Redeem at least {min} points at a time.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The customer holds {balance} point(s); this reward needs {cost}.</source>
        <translation>
            <numerusform>The customer holds {balance} point; this reward needs {cost}.</numerusform>
            <numerusform>The customer holds {balance} points; this reward needs {cost}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This branch has been out of touch with head office for more than {hours} hour(s), so redemptions wait until it is back. Take another payment method.</source>
        <translation>
            <numerusform>This branch has been out of touch with head office for more than {hours} hour, so redemptions wait until it is back. Take another payment method.</numerusform>
            <numerusform>This branch has been out of touch with head office for more than {hours} hours, so redemptions wait until it is back. Take another payment method.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Balances here were last brought up to date more than {hours} hour(s) ago, so redemptions wait until head office is back. Take another payment method.</source>
        <translation>
            <numerusform>Balances here were last brought up to date more than {hours} hour ago, so redemptions wait until head office is back. Take another payment method.</numerusform>
            <numerusform>Balances here were last brought up to date more than {hours} hours ago, so redemptions wait until head office is back. Take another payment method.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message numerus="yes">
        <source>%n customer(s) shown</source>
        <translation>
            <numerusform>%n customer shown</numerusform>
            <numerusform>%n customers shown</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GiftCardReportPage</name>
    <message numerus="yes">
        <source>%n active card(s) hold this value</source>
        <translation>
            <numerusform>%n active card holds this value</numerusform>
            <numerusform>%n active cards hold this value</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>GiftCardsPage</name>
    <message numerus="yes">
        <source>Sell %n card(s) for %1 in total?</source>
        <translation>
            <numerusform>Sell %n card for %1 in total?</numerusform>
            <numerusform>Sell %n cards for %1 in total?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sold %n card(s). Code: %1</source>
        <translation>
            <numerusform>Sold %n card. Code: %1</numerusform>
            <numerusform>Sold %n cards. Code: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OrderDialog</name>
    <message numerus="yes">
        <source>Return %n item(s) from order %1?</source>
        <translation>
            <numerusform>Return %n item from order %1?</numerusform>
            <numerusform>Return %n items from order %1?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LanguagePreview</name>
    <message numerus="yes">
        <source>%n unit(s) left in the last part</source>
        <translation>
            <numerusform>%n unit left in the last part</numerusform>
            <numerusform>%n units left in the last part</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>SMS: %1, %n part(s)</source>
        <translation>
            <numerusform>SMS: %1, %n part</numerusform>
            <numerusform>SMS: %1, %n parts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FeedbackDashboardPage</name>
    <message numerus="yes">
        <source>%n answer(s) with a score</source>
        <translation>
            <numerusform>%n answer with a score</numerusform>
            <numerusform>%n answers with a score</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CustomerInsightsTab</name>
    <message numerus="yes">
        <source>Bought %n time(s)</source>
        <translation>
            <numerusform>Bought %n time</numerusform>
            <numerusform>Bought %n times</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last %n day(s) ago</source>
        <translation>
            <numerusform>last %n day ago</numerusform>
            <numerusform>last %n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>usually every %n day(s)</source>
        <translation>
            <numerusform>usually every %n day</numerusform>
            <numerusform>usually every %n days</numerusform>
        </translation>
    </message>
</context>
</TS>
