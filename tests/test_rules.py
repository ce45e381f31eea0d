"""Phrase rules (normalizer/rules/*.toml): each rule family removes the boilerplate line it is
written for and keeps article prose that uses the same words.

Boilerplate lines are taken from (or written like) real scraped pages; the prose lines are the
kind of sentence a news article contains when it talks about the same thing (a court ruling on
platform liability, a pension fund called AFP, "Zurück zur Normalität" as a heading). Only the
phrase rules run here (``line_scores=False``), so a failure is a rule's doing.
"""

from __future__ import annotations

import pytest

from normalizer.record import REASONS
from normalizer.stages.boilerplate import classify
from normalizer.stages.rules import load_rules
from normalizer.stages.segment import segment

ARTICLE = (
    "The council approved the new budget on Tuesday after a debate that lasted more than "
    "six hours, and the mayor said the first projects would start in the spring."
)

# (rule, boilerplate line it removes, article line with the same words that it keeps)
CASES = [
    # affiliate / advertising disclosures
    (
        "en:affiliate_disclosure",
        "Tom's Hardware is supported by its audience. When you purchase through links on our site, "
        "we may earn an affiliate commission. Learn more",
        "The regulator said influencers who earn a commission when followers buy through links in "
        "their posts must label them as advertising.",
    ),
    (
        "en:affiliate_disclosure",
        "Advertising Disclosure",
        "Advertising disclosure rules for podcasts were tightened last year after complaints from listeners.",
    ),
    (
        "en:affiliate_disclosure",
        "This post contains references to products from one or more of our advertisers. We may "
        "receive compensation when you click on links to those products.",
        "The post contains references to a secret meeting in 2019, according to the lawyers.",
    ),
    (
        "de:affiliate_disclosure",
        "Für Links auf dieser Seite erhält CHIP ggf. eine Provision vom Händler, z.B. für mit oder "
        "grüner Unterstreichung gekennzeichnete. Mehr Infos.",
        "Die Makler erhalten eine Provision von drei Prozent, die künftig der Verkäufer tragen soll.",
    ),
    # paywalls, newsletters, app and social prompts
    (
        "en:paywall",
        "To view the full story, please subscribe to The Haitian Times.",
        "To read the full story of the flood, one has to go back to 1953, when the dikes broke.",
    ),
    (
        "en:paywall",
        "If you’re seeing this message but you’re already a subscriber, you can log in for immediate "
        "access to this story.",
        "Already a subscriber to three streaming services, Ms. Lopez said she would not pay for a fourth.",
    ),
    (
        "en:newsletter_box",
        "PC Gamer Newsletter",
        "The Substack Newsletter boom has made a handful of writers rich.",
    ),
    (
        "en:newsletter_box",
        "Sign up to get the best content of the week, and great gaming deals, as picked by the editors.",
        "Sign up rates for the free bus pass doubled after the fare increase, officials said.",
    ),
    (
        "en:app_social_prompt",
        "For the latest stories and breaking news updates download the Nationnews apps for iOS and Android.",
        "Following the storm on Twitter, residents shared photos of flooded streets.",
    ),
    (
        "de:newsletter_more",
        "Jetzt Newsletter abonnieren",
        "Rund 40.000 Leser haben den Newsletter der Stadtbibliothek abonniert, teilte die Stadt mit.",
    ),
    (
        "de:newsletter_more",
        "Wenn du per E-Mail über Aktuelles aus der Löwenwelt informiert werden willst, kannst du den "
        "Newsletter hier abonnieren.",
        "Wer per E-Mail informiert werden will, muss sich beim Bürgeramt melden, sagte die Sprecherin.",
    ),
    (
        "de:push_prompt",
        "Benachrichtigung aktivieren Dürfen wir Sie in Ihrem Browser über die wichtigsten Nachrichten "
        "informieren?",
        "Dürfen wir Sie über den Ausgang des Verfahrens informieren, fragte der Anwalt seinen Mandanten.",
    ),
    (
        "es:social_channel",
        "¿Ya sabías que en Guatemala.com tenemos canal de Telegram? Únete desde tu celular en este "
        "enlace de invitación.",
        "El ministro anunció su renuncia en su canal de Telegram el domingo por la noche.",
    ),
    (
        "es:newsletter",
        "Suscríbete a nuestro newsletter",
        "Más de 10.000 lectores se suscribieron al boletín del museo en su primera semana.",
    ),
    (
        "fr:newsletter",
        "Inscrivez-vous à la newsletter",
        "Plus de 5 000 lecteurs se sont inscrits à la lettre d'information de la mairie.",
    ),
    (
        "it:newsletter",
        "Iscriviti alla nostra newsletter",
        "Oltre mille lettori si sono iscritti alla newsletter del museo nella prima settimana.",
    ),
    (
        "pt:newsletter",
        "Assine a nossa newsletter",
        "Mais de mil leitores assinaram a newsletter da prefeitura na primeira semana.",
    ),
    (
        "nl:newsletter",
        "Schrijf je in voor onze nieuwsbrief",
        "Meer dan duizend lezers schreven zich in voor de nieuwsbrief van het museum.",
    ),
    (
        "pl:newsletter",
        "Zapisz się na newsletter",
        "Ponad tysiąc czytelników zapisało się na newsletter muzeum w pierwszym tygodniu.",
    ),
    (
        "pt:social_channel",
        "Entre no canal do Correio no WhatsApp e receba as notícias do dia",
        "O ministro anunciou a decisão no canal do governo no WhatsApp na noite de domingo.",
    ),
    # comment forms
    (
        "en:comment_form_more",
        "No Response so far »",
        "There was no response so far from the ministry, a spokesman said.",
    ),
    (
        "en:comment_form_more",
        "5 thoughts on “JSON parsing: simdjson vs. JSON for Modern C++”",
        "One response to the crisis was to raise taxes on fuel, the minister said.",
    ),
    (
        "en:comment_link_tail",
        "Posted on 2015-04-05 by marc | Leave a comment",
        "Readers are welcome to leave a comment",
    ),
    (
        "common:akismet",
        "Diese Website verwendet Akismet, um Spam zu reduzieren. Erfahre mehr darüber, wie deine "
        "Kommentardaten verarbeitet werden.",
        "Akismet, the anti-spam service, says it blocks millions of spam comments a day.",
    ),
    (
        "de:comment_form_more",
        "Veröffentlicht am 6. Juli 2015 von Mark Hosak — Hinterlasse eine Antwort",
        "Wer Fragen hat, kann unter dem Beitrag eine Antwort hinterlassen, schreibt der Verein.",
    ),
    (
        "pl:comment_form",
        "Prosimy o zaznaczenie checkboxa przed dodaniem komentarza.",
        "Komentarz ministra wywołał falę krytyki w mediach społecznościowych.",
    ),
    (
        "ar:comments",
        "إضافة تعليق جديد",
        "رفض الوزير إضافة تعليق جديد على القرار خلال المؤتمر الصحفي يوم الاثنين.",
    ),
    (
        "fr:email_notice",
        "Votre adresse e-mail ne sera pas publiée.",
        "Votre adresse est-elle concernée ? La mairie publie la liste des rues.",
    ),
    (
        "en:email_signup",
        "Missing out on the latest WordPress.com developments? Enter your email below to receive "
        "future announcements direct to your inbox. An email confirmation will be sent before "
        "you will start receiving notifications - please check your spam folder if you don't "
        "receive this.",
        "Enter your email address and a password, the bank's letter said, and the scammers had "
        "everything they needed.",
    ),
    # photo credits and image controls
    (
        "en:photo_credit",
        "Photograph by Ed Marshall, Redonda Restoration Programme",
        "Photographs by Ansel Adams hang in the main hall. They were printed in 1941.",
    ),
    (
        "en:photo_credit",
        "Photos courtesy NoInk Communications",
        "Pictures by the dozen were taken before the storm reached the coast.",
    ),
    (
        "common:caption_credit",
        "Abbildung 5: Oberflächenreif in einem Nordhang bei Panex (VD), 922 m (Foto: V. Berret, 19.01.2022).",
        "Quelle: dpa. Die Regierung will die Mieten in den großen Städten bis 2025 einfrieren, sagte die Ministerin.",
    ),
    (
        "common:stock_photo_credit",
        "Das Hermelin ist im Winter mit seinem weißen Fell gut getarnt. (mlharing / iStock.com)",
        "Gobierno ingresa proyecto para pago efectivo de pensiones alimenticias: incluye cobros a AFP",
    ),
    (
        "common:stock_photo_credit",
        "Microsoft plans to cut its carbon emissions by more than half by 2030. Mike Blake/Reuters files",
        "Shares of Getty Images fell 5 percent after the company reported lower revenue.",
    ),
    (
        "common:credit_line",
        "(crédito: Minervino Júnior/CB/D.A.Press)",
        "Credit: banks tightened lending standards again in the third quarter, the central bank's "
        "survey shows, and small firms were hit hardest.",
    ),
    (
        "common:c_in_parens",
        "Le piquet de grève dans le hall de l’université / (C) Kab Niang",
        "The law lists three exemptions: (a) hospitals, (b) schools and (c) fire stations.",
    ),
    (
        "de:image_controls",
        "Bild anzeigen Bild schließen",
        "Das Bild anzeigen zu lassen, kostet im Museum zwei Euro extra.",
    ),
    # navigation, tables of contents, recipe buttons, related links
    (
        "de:navigation",
        "Zurück zur Übersicht",
        "Zurück zur Normalität will die Stadt erst nach den Ferien.",
    ),
    (
        "de:navigation",
        "Vorschau auf den nächsten Artikel",
        "Im nächsten Artikel der Serie geht es um die Verkehrswende auf dem Land.",
    ),
    (
        "de:navigation",
        "Inhaltsverzeichnis",
        "Das Inhaltsverzeichnis des Berichts umfasst 40 Seiten und nennt alle befragten Behörden.",
    ),
    (
        "en:recipe_nav",
        "Jump to RecipePrint Recipe",
        "Print recipe cards from the 1950s are now collectors' items, the auction house said.",
    ),
    (
        "en:toc_label",
        "Table of Contents",
        "Contents of the report were leaked to reporters on Monday.",
    ),
    (
        "en:explore_further",
        "Explore further",
        "Scientists want to explore further whether the glue was made deliberately.",
    ),
    (
        "fr:navigation",
        "Article précédent",
        "L'article précédent de la loi prévoyait une exception pour les écoles.",
    ),
    (
        "de:related_more",
        "Schon gelesen?",
        "Schon gelesen? Nein, sagt der Minister, den Bericht kenne er nicht.",
    ),
    (
        "en:read_also",
        "Read more: Recognizing Germany's colonial crimes",
        "Read more carefully, the contract says the landlord pays for repairs.",
    ),
    (
        "uk:read_also",
        "Читайте також: Уряд ухвалив рішення про підвищення мінімальної зарплати",
        "Читайте також інструкцію до препарату, радить лікарка, бо дозування різне.",
    ),
    (
        "uk:read_more",
        "Читайте також:",
        "Читайте також книжки, радить бібліотекарка, а не лише новини.",
    ),
    (
        "ru:read_more",
        "Смотрите также",
        "Смотрите также на цены, советует эксперт, а не только на рейтинг.",
    ),
    (
        "ru:read_also",
        "Читайте также: Правительство повысило минимальную зарплату",
        "Читайте также инструкцию к препарату, советует врач, потому что дозировка разная.",
    ),
    (
        "es:read_prompt",
        "MIRA: Madre se acerca a conocer los motivos de captura de su hijo y termina detenida",
        "Mira, no sabemos cuándo volverá el agua, dijo la vecina.",
    ),
    (
        "es:read_prompt",
        "Lea: Consejo Permanente de OEA aborda este miércoles confiscación de sus oficinas en Nicaragua",
        "Lea Salonga cantará en el teatro nacional el próximo mes.",
    ),
    # donation appeals
    (
        "de:donation_more",
        "Jede kleine Spende hilft den notleidenden Menschen dieser Welt!",
        "Jede Spende wird geprüft, sagte der Schatzmeister des Vereins.",
    ),
    (
        "de:donation_more",
        "Unterstütze RosaMag bereits mit 2,50!",
        "Unterstützen Sie die Forderung der Gewerkschaft, fragte die Moderatorin den Minister.",
    ),
    (
        "de:donation_more",
        "Gefällt dir unser Klettermagazin? Bei der Lancierung haben wir entschieden, keine "
        "Bezahlschranke einzuführen.",
        "Gefällt dir das neue Stadion? Die Fans sind geteilter Meinung.",
    ),
    (
        "en:reader_support",
        "We rely on your support to make local news available to all",
        "“We rely on your support,” the food bank's director told volunteers on Saturday.",
    ),
    (
        "pl:donate",
        "Wesprzyj nas darowizną lub przekaż nam 1% podatku.",
        "Fundacja przekazała 1% swojego budżetu na pomoc dla schronisk.",
    ),
    # disclaimers, feedback widgets, consent placeholders
    (
        "en:contributor_disclaimer",
        "NOW Grenada is not responsible for the opinions, statements or media content presented by "
        "contributors.",
        "The court ruled that the platform is not responsible for the content of messages its users "
        "send each other.",
    ),
    (
        "en:disclaimer_label",
        "Disclaimer: The responses below are not provided or commissioned by the bank advertiser.",
        "The disclaimer, printed in small type at the bottom of the letter, was added later.",
    ),
    (
        "fr:opinion_disclaimer",
        "Les opinions exprimées dans les blogs du Monde diplomatique n'engagent que leurs auteurs.",
        "Ces déclarations n'engagent que leur auteur, a répondu le ministère, qui dément toute implication.",
    ),
    (
        "ru:editorial_disclaimer",
        "Мнение редакции может не совпадать с мнением автора.",
        "Мнение редакции газеты совпадает с позицией министерства, заявил главный редактор.",
    ),
    (
        "uk:editorial_disclaimer",
        "Думка редакції може не збігатися з думкою автора.",
        "Думка редакції газети збігається з позицією міністерства, заявив головний редактор.",
    ),
    (
        "de:disclaimer",
        "Video verfügbar bis 28.02.2021",
        "Das Video ist verfügbar bis Ende März, teilte der Sender mit.",
    ),
    (
        "de:disclaimer",
        "(Alle Angaben ohne Gewähr)",
        "Alle Angaben ohne Gewähr zu machen, sei bei Lottozahlen üblich, sagte der Sprecher.",
    ),
    (
        "de:feedback_widget",
        "War der Artikel nützlich?",
        "War der Artikel nützlich für die Ermittler? Die Staatsanwaltschaft wollte das nicht kommentieren.",
    ),
    (
        "de:embed_consent",
        "Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine "
        "Verbindung zu Twitter her.",
        "Wir respektieren die Privatsphäre unserer Kunden, sagte ein Sprecher der Bank.",
    ),
    (
        "de:consent_checkbox",
        "Ich bin mit der Verarbeitung meiner Daten nach Datenschutzerklärung einverstanden.",
        "Ich bin damit einverstanden gewesen, sagte die Zeugin vor Gericht.",
    ),
    (
        "it:updated_stamp",
        "Pubblicato il 19 Febbraio 2020 Ultima modifica 19 Febbraio 2020 12:02",
        "Ultima modifica alla legge elettorale risale al 2017, ricorda il quotidiano.",
    ),
    # cookie notices
    (
        "pl:cookie_notice",
        "Informujemy, że korzystamy z cookies.",
        "Urząd ukarał firmę, bo jej strona instalowała pliki bez zgody użytkowników.",
    ),
    (
        "es:cookie_notice",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "La agencia multó a la empresa porque su web instalaba cookies sin consentimiento.",
    ),
    # the short one-line families added for languages that lacked them
    (
        "en:letters_prompt",
        "Submit your letter to the editor via this form. Read more Letters to the Editor.",
        "Submitting a letter to the editor was how residents first raised the alarm about the landfill.",
    ),
    (
        "en:letters_prompt",
        "We want to hear what you think about this article. Submit a letter to the editor or "
        "write to letters@theatlantic.com.",
        "We want to hear what you think, the mayor said, and asked residents to send a letter "
        "to the editor of the local paper.",
    ),
    (
        "es:comments",
        "Deja un comentario",
        "Los comentarios del presidente provocaron una ola de críticas.",
    ),
    (
        "es:share",
        "Comparte esta noticia",
        "Compartir datos con otros países será obligatorio desde 2025, según la ley.",
    ),
    (
        "es:donate",
        "Apóyanos",
        "Apóyanos, pidió el alcalde a los vecinos durante la inundación, y cientos acudieron.",
    ),
    (
        "fr:comments",
        "27 commentaires",
        "Les commentaires du ministre ont suscité une vague de critiques.",
    ),
    (
        "fr:share",
        "Partager sur Facebook",
        "Partager ses données avec la police reste interdit sans décision de justice.",
    ),
    (
        "fr:donate",
        "Soutenez-nous",
        "Soutenez-nous, a lancé le maire aux habitants lors de la réunion publique de lundi.",
    ),
    (
        "fr:cookie_notice",
        "En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies.",
        "La CNIL a infligé une amende à la société, dont le site déposait des cookies sans consentement.",
    ),
    (
        "it:comments",
        "Lascia un commento",
        "I commenti del ministro hanno provocato un'ondata di critiche.",
    ),
    (
        "it:share",
        "Condividi su Facebook",
        "Condividi i dati con la polizia solo su ordine del giudice, ha detto il garante.",
    ),
    (
        "it:donate",
        "Sostienici",
        "Sostieni il giornalismo locale, ha chiesto il sindaco ai cittadini durante l'assemblea.",
    ),
    (
        "it:cookie_notice",
        "Questo sito utilizza cookie tecnici e di profilazione.",
        "Il garante ha multato la società, il cui sito installava cookie senza consenso.",
    ),
    (
        "pt:comments",
        "Deixe um comentário",
        "Os comentários do ministro provocaram uma onda de críticas.",
    ),
    (
        "pt:share",
        "Compartilhe esta notícia",
        "Compartilhar dados com a polícia continua proibido sem ordem judicial.",
    ),
    (
        "pt:cookie_notice",
        "Este site utiliza cookies para melhorar a sua experiência.",
        "A autoridade multou a empresa porque o seu site instalava cookies sem consentimento.",
    ),
    (
        "nl:comments",
        "Plaats een reactie",
        "De reacties van de minister leidden tot een golf van kritiek.",
    ),
    (
        "nl:share",
        "Deel dit artikel",
        "Delen van gegevens met de politie blijft verboden zonder rechterlijk bevel.",
    ),
    (
        "nl:donate",
        "Doneer nu",
        "Doneer nu, riep de burgemeester de inwoners op tijdens de overstroming.",
    ),
    (
        "nl:cookie_notice",
        "Deze website maakt gebruik van cookies.",
        "De toezichthouder beboette het bedrijf omdat de site cookies plaatste zonder toestemming.",
    ),
    (
        "pl:share",
        "Udostępnij na Facebooku",
        "Udostępnianie danych policji wymaga zgody sądu, przypomniał rzecznik.",
    ),
    ("ru:toc", "Содержание", "Содержание документа не раскрывается, сообщили в ведомстве."),
    ("uk:toc", "Зміст", "Зміст документа не розголошується, повідомили у відомстві."),
    ("ar:share", "شارك", "شارك الآلاف في المظاهرة التي نظمت يوم الجمعة في وسط العاصمة."),
    # Ukrainian and Russian news-site furniture (the product's own domain)
    (
        "uk:subscribe",
        "Читайте нас у Telegram",
        "Читайте уважно: у Telegram-каналах, за даними СБУ, поширюють фейкові накази.",
    ),
    (
        "uk:subscribe",
        "Приєднуйтесь до нас у Facebook",
        "Приєднуйтесь до протесту, закликали організатори у Facebook, і тисячі людей вийшли на вулиці.",
    ),
    (
        "uk:subscribe",
        "Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися новини",
        "Підписуйтесь на будь-що обережно: шахраї в Telegram підробляють канали банків, попереджає поліція.",
    ),
    (
        "ru:subscribe",
        "Читайте нас в Telegram",
        "Присоединяйтесь к протесту, призвали организаторы в Facebook, и тысячи людей вышли на улицы.",
    ),
    (
        "uk:editorial_disclaimer",
        "Думка автора може не збігатися з позицією редакції.",
        "Думка автора збігається з позицією редакції лише частково, визнав головний редактор.",
    ),
    (
        "ru:editorial_disclaimer",
        "Редакция может не разделять мнение автора.",
        "Редакция не разделяла оптимизма министра, но опубликовала его интервью полностью.",
    ),
    (
        "uk:section_header",
        "Останні новини",
        "Останні новини з фронту тривожні, визнав речник Генштабу.",
    ),
    (
        "uk:section_header",
        "Мітки: війна, економіка, Київ",
        "Мітки на дорозі оновлять до кінця місяця, пообіцяли в міськраді.",
    ),
    (
        "ru:section_header",
        "Теги: війна, економіка, Київ",
        "Теги в соцмережах допомагають знаходити дописи, пояснює експерт.",
    ),
    (
        "ru:section_header",
        "Новости партнеров",
        "Новости партнеров компании обсуждали на встрече в понедельник.",
    ),
    (
        "uk:advertisement",
        "На правах реклами",
        "На правах співвласника компанії він підписав договір оренди.",
    ),
    ("ru:advertisement", "Реклама", "Реклама алкоголю на телебаченні заборонена з 2025 року."),
    (
        "ru:advertisement",
        "На правах рекламы",
        "Реклама алкоголя на телевидении запрещена с 2025 года.",
    ),
    (
        "uk:copyright_notice",
        "Використання матеріалів дозволяється лише за умови посилання на джерело.",
        "Використання матеріалів справи під час засідання суд дозволив лише частково.",
    ),
    (
        "uk:copyright_notice",
        "Усі права захищені.",
        "Усі права захищені законом однаково, наголосив суддя.",
    ),
    (
        "ru:copyright_notice",
        "Все права защищены.",
        "Все права защищены законом одинаково, подчеркнул судья.",
    ),
    (
        "common:error_report",
        "Якщо ви помітили помилку, виділіть необхідний текст і натисніть Ctrl+Enter, щоб повідомити про це редакцію.",
        "Щоб надіслати повідомлення, натисніть Ctrl+Enter, пояснюють розробники месенджера.",
    ),
    (
        "common:error_report",
        "Если вы заметили ошибку, выделите её и нажмите Ctrl+Enter",
        "Выделите время на отдых, советуют врачи, и нажмите на паузу хотя бы в выходные.",
    ),
    # heise.de: reading time under the standfirst, and the button under a teaser box
    (
        "common:reading_time",
        "Lesezeit: 1 Min.",
        "Die Lesezeit für Schüler wurde auf 20 Minuten am Tag erhöht, sagte die Ministerin.",
    ),
    (
        "common:reading_time",
        "5 min read",
        "A 5 min read of the report is enough to see the problem, the auditor said.",
    ),
    (
        "de:read_more",
        "mehr anzeigen",
        "Mehr anzeigen wollte die Polizei nicht, sagte der Sprecher.",
    ),
    # a blog's archive widget, one line per month with its post count
    (
        "common:archive_month",
        "October 2012 (19)",
        "In October 2012 (19 days before the vote) the council met again, the minutes show.",
    ),
    ("common:archive_month", "Oktober 2012 (19)", "Im Oktober 2012 (19 Uhr) begann die Sitzung."),
    # tag clouds and archive menus with their counts; a year in parentheses is not a count
    (
        "common:item_count",
        "aha lessons (140)",
        "The Garden · Derek Jarman (1990)",
    ),
    ("common:item_count", "November (8)", "Turnout rose to 64 percent (from 58) in November."),
    (
        "en:donation_prompt",
        "Consider a donation if you like what you see here!",
        "Residents should consider a donation to the food bank, the mayor said.",
    ),
    ("en:share", "Share this page Pin It", "Share this page with your class, the teacher told us."),
    ("en:share", "Print|", "Print runs were cut by half, the publisher said."),
    (
        "en:byline_ago",
        "By Andrew Downie | Reuters – 1 hour 9 minutes ago",
        "By one count the fire burned for 9 hours, and the last of it went out an hour ago.",
    ),
    # a short link ending with an arrow; a closing guillemet has its opening one on the line
    ("common:arrow_link", "View the Full Gallery »", "Le gouvernement parle de « boîtes noires »"),
    ("common:arrow_link", "Next post →", "Er nannte das neue Projekt ‹ Heimat ›"),
    (
        "en:skip_link",
        "skip to main | skip to sidebar",
        "Skip to the end of the report and the numbers tell a different story, she said.",
    ),
    (
        "en:page_furniture",
        "Continue reading the main story",
        "Continue reading the main story of the week, and you find the mayor's budget.",
    ),
    ("en:page_furniture", "Send to a Friend", "Send to a friend a card, the teacher told us."),
    (
        "common:archive_month",
        "10/21/12 - 10/28/12 (77)",
        "From 10/21/12 - 10/28/12 (77 hours) it rained.",
    ),
    (
        "en:copyright_notice",
        "Copyright 2012 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
        "The copyright was renewed in 2012, and all rights reserved by the author went to his heirs.",
    ),
    (
        "en:copyright_notice",
        "Dow Jones Reprints: This copy is for your personal, non-commercial use only. To order "
        "presentation-ready copies for distribution, use the Order Reprints tool.",
        "The judge said this copy is what the museum bought for its personal collection.",
    ),
    (
        "en:time_ago_teaser",
        "3 hrs ago James Bond's new phone: not an iPhone 5 or Samsung Galaxy S III",
        "3 hours ago the river broke its banks, and the town was cut off by nightfall.",
    ),
    # the age after the teaser and its comment count; a sentence ends after "ago"
    (
        "en:time_ago_teaser",
        "Rise of the Triad revival announced at QuakeCon 53 6days 21hrs ago",
        "The council approved the plan for the new bridge three years ago.",
    ),
    (
        "en:time_ago_teaser",
        "Women's March on Washington: Live Updates34,659 comments - 3 days ago",
        "The river broke its banks 3 days ago, and the town was cut off by nightfall.",
    ),
    # a share bar's prompt and a video box's link (CleanPortalEval, Dragnet)
    ("en:share", "Share this with friends", "Share this with friends, the poster says, and win."),
    ("en:read_more", "See more photos", "See more video of the flood on our live page, he said."),
    # links to the comments, a login prompt, pull-quote labels, Wikipedia's skip links
    (
        "en:comment_link",
        "{ 1 comment… read it below or add one }",
        "One comment, read below, changed the mayor's mind, she said.",
    ),
    (
        "en:comment_link",
        "RSS feed for comments on this post. TrackBack URI",
        "The RSS feed for the council's comments went down on Tuesday.",
    ),
    ("en:login_prompt", "Forgot your password?", "Forgot your password again? Then read on."),
    (
        "en:pull_quote_label",
        "End Quote Russell Glass Chief Executive, Bizo",
        "At the end, quotes from the chief executive were read out in court.",
    ),
    (
        "en:skip_link",
        "Jump to navigation Jump to search",
        "Jump to the end of the report and the figures tell another story, she said.",
    ),
    ("en:page_furniture", "back to top", "Back to top form, the striker scored twice on Sunday."),
    (
        "en:login_prompt",
        "Don’t have an account?",
        "Don’t have an account? Banks say that is common.",
    ),
    (
        "en:new_here",
        "If you're new here, you may want to subscribe to this blog via e-mail or my RSS feed.",
        "If you're new here, the council says, you may want to register to vote by Friday.",
    ),
    (
        "en:site_notice",
        "The opinions expressed here are my personal opinions. Content published here is not "
        "read or approved in advance by my employer.",
        "The opinions expressed at the hearing were split, the chairman said on Tuesday.",
    ),
    # an embedded Instagram post's frame
    (
        "en:social_embed",
        "A post shared by Adam Ondra (@adam.ondra)",
        "A post shared by thousands of climbers called for the route to reopen.",
    ),
    (
        "de:social_embed",
        "Sieh dir diesen Beitrag auf Instagram an",
        "Sieh dir diesen Beitrag an, sagte die Trainerin, und lerne daraus.",
    ),
    # the BBC's screen-reader labels in front of a photo's credit and caption
    (
        "en:caption_label",
        "Image copyright Reuters",
        "The image copyright belongs to Reuters, the court ruled on Tuesday.",
    ),
    (
        "en:caption_label",
        "Media caption Drone footage shows mass burials in New York",
        "Media coverage of the burials in New York drew criticism from the mayor.",
    ),
    # links to the blog's neighbouring posts (TypePad's "| Main |" line; "Previous post: …")
    (
        "en:post_navigation",
        "« 8 great talks on war and peace | Main | What data is being collected on you? »",
        "« We are not leaving », the mayor said at the main square | on Friday, to cheers.",
    ),
    (
        "en:post_navigation",
        "Previous post: 11 Simple Ways to Create Genuine Connections",
        "Next post, I will explain how the council spent the money it saved.",
    ),
    # boingboing: "READ THE REST" under a teaser (alone here: one closes no teaser list)
    (
        "en:read_the_rest",
        "READ THE REST",
        "Read the rest of the letter, she told the court, and you will see what he meant.",
    ),
]


def _classify(*lines: str):
    kept, removed = classify(segment("\n".join(lines)), line_scores=False)
    return {f.text for f in kept}, {r.text: r for r in removed}


@pytest.mark.parametrize(
    "rule,boilerplate,prose", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_removes_boilerplate(rule, boilerplate, prose):
    kept, removed = _classify("Council approves budget", ARTICLE, boilerplate)
    assert boilerplate in removed, f"{rule} should remove {boilerplate!r}"
    assert removed[boilerplate].rule == rule
    assert ARTICLE in kept


@pytest.mark.parametrize(
    "rule,boilerplate,prose", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_keeps_article_prose(rule, boilerplate, prose):
    kept, removed = _classify("Council approves budget", ARTICLE, prose)
    assert prose in kept, (
        f"{removed[prose].rule if prose in removed else '?'} removed prose {prose!r}"
    )


def test_every_rule_has_a_known_reason_and_a_unique_name():
    rules = load_rules()
    assert all(r.reason in REASONS for r in rules)
    names = [r.name for r in rules]
    assert len(names) == len(set(names))


def test_every_new_family_is_covered():
    # Each rule family added for these leaks has at least one case above.
    names = {r.name for r in load_rules()}
    covered = {c[0] for c in CASES}
    assert covered <= names


def test_read_the_rest_takes_its_teasers_when_it_closes_a_list():
    # boingboing.net: other posts as teasers (headline, excerpt, "READ THE REST") after the
    # article; with two or more of them each teaser goes with its "READ THE REST".
    teasers = []
    for head, excerpt in [
        (
            "Patti Smith and Stewart Copeland join a choir",
            "The good folks at the choir are still doing their thing, and now they have included both.",
        ),
        (
            "Dynasties: in-depth reporting on the wealthy families of Canada",
            "The latest podcast from the network is Dynasties, wherein the host delves into the scandals.",
        ),
    ]:
        teasers += [head, excerpt, "READ THE REST"]
    kept, removed = _classify("Council approves budget", ARTICLE, *teasers)
    assert ARTICLE in kept
    for line in teasers:
        assert removed[line].rule == "en:read_the_rest" and removed[line].reason == "related"
    # one "Read the rest" under the article: only that line goes
    kept, removed = _classify("Council approves budget", ARTICLE, "Read the rest")
    assert ARTICLE in kept and removed["Read the rest"].rule == "en:read_the_rest"
