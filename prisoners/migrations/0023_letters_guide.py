"""The first text of /write/ (how to write to a political prisoner) in
English, Belarusian and Russian; the editor role may change it (the curator
only reads it); and each stored person's birthday, derived from a birth
date known to the day (Person.birthday)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models.functions import ExtractDay, ExtractMonth

WRITE_EN = """Letters matter. For a political prisoner a letter is proof that they are not forgotten, and the prison staff notice who receives mail. Write even if you do not know the person.

Write in Russian or Belarusian. Russian is the safest choice: letters in Belarusian, in another language, or in handwriting the censor cannot read are often held back. Keep it short, clear and legible.

Write about everyday things: the weather, books, films, your town, your pets, the seasons. Do not write about politics, the war, the trial, the charges, the prison or the authorities, and do not call the person a political prisoner: such letters are not delivered, and they can bring the addressee trouble. Never write anything by which other people could be identified.

Put your own return address on the envelope, so that a reply can reach you. Letters from abroad reach Belarusian prisons too, but slowly.

You may enclose blank postcards, photos of nature or of towns (no people in uniform, no symbols) and a stamped envelope for the reply: many prisoners cannot buy stamps. Do not enclose money, nor anything that is not paper.

Write the address exactly as the person's page gives it: the facility, street, town and postal code, then the person's full name and year of birth, which prisons ask for to tell namesakes apart.

Be patient. A letter can take weeks, and many never arrive: the censors hold them back without saying so. An unanswered letter is not wasted; the person may not be allowed to reply, or may have no paper or stamps. Write again.

Curators check whether letters reach each person, and the page shows the day they last did. If you learn that an address has changed, tell the organization that keeps the list."""

WRITE_BE = """Лісты важныя. Для палітвязня ліст — знак таго, што пра яго памятаюць, і адміністрацыя калоніі заўважае, каму прыходзіць пошта. Пішыце, нават калі вы не знаёмыя з чалавекам.

Пішыце па-руску або па-беларуску. Руская мова — самы надзейны выбар: лісты па-беларуску, на іншай мове або напісаныя так, што цэнзар не можа прачытаць, часта затрымліваюць. Пішыце коратка, ясна і разборліва.

Пішыце пра штодзённае: пра надвор'е, кнігі, фільмы, свой горад, хатніх жывёл, поры года. Не пішыце пра палітыку, вайну, суд, абвінавачанне, турму або ўладу і не называйце адрасата палітвязнем: такія лісты не перадаюць, і яны могуць нашкодзіць адрасату. Ніколі не пішыце таго, па чым можна пазнаць іншых людзей.

Укажыце на канверце свой зваротны адрас, каб адказ мог да вас дайсці. Лісты з-за мяжы таксама даходзяць да беларускіх турмаў, але павольна.

У канверт можна пакласці чыстыя паштоўкі, фотаздымкі прыроды або гарадоў (без людзей у форме і без сімволікі) і канверт з маркай для адказу: многія зняволеныя не могуць купіць марак. Не кладзіце грошы і нічога, акрамя паперы.

Пішыце адрас дакладна так, як ён пазначаны на старонцы чалавека: установа, вуліца, горад і індэкс, потым поўнае імя чалавека і год нараджэння — па іх у турме адрозніваюць аднапрозвішчнікаў.

Будзьце цярплівымі. Ліст можа ісці тыднямі, а многія не даходзяць зусім: цэнзура затрымлівае іх без тлумачэнняў. Ліст без адказу не прапаў дарма: магчыма, чалавеку не дазваляюць адказваць або ў яго няма паперы і марак. Напішыце зноў.

Куратары правяраюць, ці даходзяць лісты да кожнага чалавека, і старонка паказвае, калі правяралі апошні раз. Калі вы даведаліся, што адрас змяніўся, паведаміце арганізацыі, якая вядзе спіс."""

WRITE_RU = """Письма важны. Для политзаключённого письмо — знак того, что о нём помнят, и администрация колонии замечает, кому приходит почта. Пишите, даже если вы не знакомы с человеком.

Пишите по-русски или по-белорусски. Русский язык — самый надёжный выбор: письма по-белорусски, на другом языке или написанные так, что цензор не может прочитать, часто задерживают. Пишите коротко, ясно и разборчиво.

Пишите о повседневном: о погоде, книгах, фильмах, своём городе, домашних животных, временах года. Не пишите о политике, войне, суде, обвинении, тюрьме или власти и не называйте адресата политзаключённым: такие письма не передают, и они могут навредить адресату. Никогда не пишите того, по чему можно узнать других людей.

Укажите на конверте свой обратный адрес, чтобы ответ мог до вас дойти. Письма из-за границы тоже доходят до белорусских тюрем, но медленно.

В конверт можно вложить чистые открытки, фотографии природы или городов (без людей в форме и без символики) и конверт с маркой для ответа: многие заключённые не могут купить марки. Не вкладывайте деньги и ничего, кроме бумаги.

Пишите адрес точно так, как он указан на странице человека: учреждение, улица, город и индекс, затем полное имя человека и год рождения — по ним в тюрьме различают однофамильцев.

Наберитесь терпения. Письмо может идти неделями, а многие не доходят вовсе: цензура задерживает их без объяснений. Письмо без ответа не пропало зря: возможно, человеку не разрешают отвечать или у него нет бумаги и марок. Напишите снова.

Кураторы проверяют, доходят ли письма до каждого человека, и страница показывает, когда проверяли в последний раз. Если вы узнали, что адрес изменился, сообщите организации, которая ведёт список."""

NEW_PERMISSIONS = {"Editor": ["change_guide", "view_guide"], "Curator": ["view_guide"]}


def seed(apps, schema_editor):
    Guide = apps.get_model("prisoners", "Guide")
    Guide.objects.get_or_create(
        key="write", defaults={"body": WRITE_EN, "body_be": WRITE_BE, "body_ru": WRITE_RU}
    )
    # On a fresh database post_migrate has not run yet (as in 0003_roles).
    app_config = apps.get_app_config("prisoners")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in NEW_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="prisoners", codename__in=codenames
                )
            )
    # Person.birthday of the birth dates known to the day (rules.birthday).
    Person = apps.get_model("prisoners", "Person")
    Person.objects.filter(born_precision="day").update(
        birthday=ExtractMonth("born_first") * 100 + ExtractDay("born_first")
    )


def unseed(apps, schema_editor):
    apps.get_model("prisoners", "Guide").objects.filter(key="write").delete()


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0022_letters")]

    operations = [migrations.RunPython(seed, unseed)]
