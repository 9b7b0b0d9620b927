"""Held-out challenge sentences for the positions detector, written for the tests (not taken from any
corpus). Each case: (sentence, position_id, expected label), where the label is what a careful reader says
about the WRITER's stance: support / oppose / mixed, mentions (names the subject without a stance),
attributed (reports someone else's view), none (does not address the claim at all).

Each batch was written after tuning on the previous ones and measured once before any change made for it
(see the test module docstring for the numbers).
"""

BATCH_A = [
    # dognplasser
    ("Vi frykter at nedleggelsen av døgnplasser vil ramme de sykeste pasientene.", "dognplasser", "support"),
    ("Regionen trenger flere døgnplasser innen rusbehandling.", "dognplasser", "support"),
    ("Det er for få døgnplasser i vår region.", "dognplasser", "support"),
    ("Vi ønsker en dreining fra døgnbehandling til poliklinisk behandling.", "dognplasser", "oppose"),
    ("Helseforetaket la ned tolv døgnplasser i fjor.", "dognplasser", "mentions"),
    ("Regjeringen vil redusere antallet døgnplasser i TSB.", "dognplasser", "attributed"),
    ("Vi går imot at døgnkapasiteten bygges ned.", "dognplasser", "support"),
    ("Vi er uroa over at fleire døgnplassar blir lagde ned.", "dognplasser", "support"),
    ("Talet på døgnplassar bør ikkje aukast.", "dognplasser", "oppose"),
    ("Døgnplassene i psykisk helsevern må økes.", "dognplasser", "none"),
    ("Det er ikke behov for flere døgnplasser.", "dognplasser", "oppose"),
    ("Vi støtter forslaget om å stanse nedbyggingen av døgnplasser.", "dognplasser", "support"),
    ("Ambulante team kan ikke erstatte døgnbehandling for de sykeste.", "dognplasser", "support"),
    ("Vi er positive til at det blir færre døgnplasser.", "dognplasser", "oppose"),
    ("Det er ikkje rett å leggje ned fleire døgnplassar.", "dognplasser", "support"),
    ("Vi støtter ikke forslaget om flere døgnplasser.", "dognplasser", "oppose"),
    ("Utvalget mener at døgnplassene bør reduseres.", "dognplasser", "attributed"),
    ("Ifølge helseforetaket er det for mange døgnplasser i regionen.", "dognplasser", "attributed"),
    ("Vi er bekymret for at regjeringen vil legge ned døgnplasser.", "dognplasser", "support"),
    ("Regjeringen vil legge ned døgnplasser, men det er vi sterkt imot.", "dognplasser", "support"),
    ("Hele døgnet er bemannet.", "dognplasser", "none"),
    # avkriminalisering
    (
        "Vi støtter en avkriminalisering av bruk og besittelse av narkotika til eget bruk.",
        "avkriminalisering",
        "support",
    ),
    ("Bruk av narkotika bør fortsatt være straffbart.", "avkriminalisering", "oppose"),
    ("Vi går inn for at ingen skal straffes for å bruke rusmidler.", "avkriminalisering", "support"),
    ("Rusreformen må gjennomføres snarest.", "avkriminalisering", "support"),
    ("Vi er imot rusreformen.", "avkriminalisering", "oppose"),
    ("Straff virker ikke for mennesker med rusproblemer.", "avkriminalisering", "support"),
    ("Vi meiner at narkotikabruk framleis skal vere straffbart.", "avkriminalisering", "oppose"),
    ("Vi går imot å fjerne straffa for bruk av narkotika.", "avkriminalisering", "oppose"),
    (
        "Personer som tas med narkotika til eget bruk, bør møtes med helsehjelp i stedet for bot.",
        "avkriminalisering",
        "support",
    ),
    (
        "Politiet må fortsatt kunne reagere med bøter når ungdom tas med narkotika.",
        "avkriminalisering",
        "oppose",
    ),
    (
        "Enkelte hevder at straff har en forebyggende effekt på narkotikabruk.",
        "avkriminalisering",
        "attributed",
    ),
    (
        "Vi er bekymret for at avkriminalisering vil føre til økt bruk blant unge.",
        "avkriminalisering",
        "oppose",
    ),
    ("Det finnes ikke grunnlag for å straffe mennesker for egen rusbruk.", "avkriminalisering", "support"),
    ("Vi ønsker verken straff eller bøter for bruk av narkotika.", "avkriminalisering", "support"),
    (
        "Vi mener at ungdom under 18 år fortsatt skal kunne få en straffereaksjon for narkotikabruk.",
        "avkriminalisering",
        "oppose",
    ),
    ("Vold må straffes strengt.", "avkriminalisering", "none"),
    # samtidig-rop
    ("Personer med rus og psykisk lidelse må få integrert behandling.", "samtidig-rop", "support"),
    (
        "Det er uakseptabelt at pasienter må være rusfrie før de får psykisk helsehjelp.",
        "samtidig-rop",
        "support",
    ),
    ("Samtidig behandling bør være hovedregelen.", "samtidig-rop", "support"),
    (
        "Psykisk helsevern må behandle pasientar sjølv om dei framleis brukar rusmiddel.",
        "samtidig-rop",
        "support",
    ),
    (
        "Vi mener rusbehandling og psykisk helsevern bør skje etter hverandre, ikke samtidig.",
        "samtidig-rop",
        "oppose",
    ),
    # fact-act
    ("FACT-teamene i fylket må få varig finansiering.", "fact-act", "support"),
    ("Vi anbefaler at ordningen med ACT-team avvikles.", "fact-act", "oppose"),
    (
        "Oppsøkjande team har vist seg å fungere godt for dei som ikkje møter til timar.",
        "fact-act",
        "support",
    ),
    ("Kommunen har et FACT-team.", "fact-act", "mentions"),
    ("Ambulante tjenester bør bygges ut i distriktene.", "fact-act", "support"),
    ("Departementet foreslår å legge FACT-teamene inn under kommunene.", "fact-act", "attributed"),
    ("Vi ser positivt på at flere kommuner får oppsøkende team.", "fact-act", "support"),
    # alkohol
    ("Alkohol er det rusmiddelet som skaper flest skader i befolkningen.", "alkohol", "support"),
    ("Alkoholforebygging må prioriteres høyere.", "alkohol", "support"),
    ("Vi mener alkohol ikke bør prioriteres foran narkotika.", "alkohol", "oppose"),
    ("Alkoholbruken blant eldre aukar, og det uroar oss.", "alkohol", "support"),
    # tsb-spesialist
    ("TSB må fortsatt være en del av spesialisthelsetjenesten.", "tsb-spesialist", "support"),
    (
        "Vi mener at ansvaret for rusbehandling i større grad bør overføres til kommunene.",
        "tsb-spesialist",
        "oppose",
    ),
    ("Kommunane bør ta over meir av ansvaret for rusbehandlinga.", "tsb-spesialist", "oppose"),
    ("Vi advarer mot å flytte behandlingsansvaret fra TSB til kommunene.", "tsb-spesialist", "support"),
    # behandlingslengde
    ("Behandlingen må få vare så lenge pasienten trenger det.", "behandlingslengde", "support"),
    ("Vi støtter standardiserte behandlingsforløp med fast lengde.", "behandlingslengde", "oppose"),
    ("Korte behandlingsopphold gir dårligere resultater.", "behandlingslengde", "support"),
    ("Vi ynskjer lengre behandlingsopphald for pasientar med tung rusbruk.", "behandlingslengde", "support"),
    # ettervern
    ("Alle som skrives ut fra rusbehandling, må få hjelp til å skaffe bolig.", "ettervern", "support"),
    ("Det mangler boliger til personer som kommer ut av behandling.", "ettervern", "support"),
    ("Arbeidstrening etter behandling bør byggjast ut.", "ettervern", "support"),
    ("Kommunen har i dag 40 boliger for personer med rusproblemer.", "ettervern", "mentions"),
    ("IPS har gitt gode resultater i vår kommune.", "ettervern", "support"),
    ("Kutt i ettervernet vil gi flere tilbakefall.", "ettervern", "support"),
    ("Vi er glade for at regjeringen vil bygge ut ettervernet.", "ettervern", "support"),
    ("Kvinner med rusproblemer trenger et trygt sted å bo etter behandling.", "ettervern", "support"),
    # barn-unge
    ("Tilbudet til barn og unge med rusproblemer må styrkes.", "barn-unge", "support"),
    ("Vi er uroa over at stadig fleire unge brukar cannabis.", "barn-unge", "support"),
    ("Mange barn av foreldre med rusproblemer blir ikke fanget opp.", "barn-unge", "support"),
    # ideelle
    ("Vi ønsker langsiktige avtaler med ideelle aktører i stedet for anbud.", "ideelle", "support"),
    ("Offentlige tjenester i egen regi bør prioriteres foran private aktører.", "ideelle", "oppose"),
    ("Vi er imot at private aktørar skal tene pengar på rusbehandling.", "ideelle", "oppose"),
    ("Ideelle institusjoner står i fare for å bli lagt ned.", "ideelle", "support"),
    ("Fritt behandlingsvalg bør avvikles.", "ideelle", "oppose"),
    ("Regjeringen har foreslått å avvikle fritt behandlingsvalg, og det støtter vi.", "ideelle", "oppose"),
    # lar
    ("LAR må bli mer fleksibelt.", "lar", "support"),
    ("Vi advarer mot å lempe på kravene i LAR.", "lar", "oppose"),
    ("Pasientar i LAR må få betre smertelindring.", "lar", "support"),
    ("Vi ønsker strengere kontroll med utlevering av LAR-medisiner.", "lar", "oppose"),
    # brukermedvirkning
    ("Brukermedvirkning må styrkes på alle nivåer i tjenestene.", "brukermedvirkning", "support"),
    ("Pårørende må involveres mer i behandlingen.", "brukermedvirkning", "support"),
    ("Erfaringskonsulentar bør vere ein fast del av alle team.", "brukermedvirkning", "support"),
    ("Vi ser ikke behov for flere erfaringskonsulenter.", "brukermedvirkning", "oppose"),
    # kompetanse
    ("Det må utdannes flere psykologspesialister innen rus.", "kompetanse", "support"),
    ("Vi er bekymret for at kravet om psykologkompetanse i kommunene fjernes.", "kompetanse", "support"),
    ("Det er vanskeleg å rekruttere legar med spesialisering i rusmedisin.", "kompetanse", "support"),
    ("BUP mangler kompetanse på rus.", "kompetanse", "support"),
    # kunnskap-kvalitet
    (
        "Det trengs bedre data om hvordan det går med pasientene etter behandling.",
        "kunnskap-kvalitet",
        "support",
    ),
    ("Vi anbefaler et nasjonalt kvalitetsregister for rusbehandling.", "kunnskap-kvalitet", "support"),
    ("Forskningen viser at behandling virker.", "kunnskap-kvalitet", "none"),
    ("Det må setjast av meir pengar til forsking på rusbehandling.", "kunnskap-kvalitet", "support"),
    # kvinner
    ("Det bør etableres egne behandlingstilbud for kvinner.", "kvinner", "support"),
    ("Vi ser ikke behov for egne tilbud til kvinner.", "kvinner", "oppose"),
    ("Gravide med rusproblem må få tett oppfølging.", "kvinner", "support"),
    ("Utvalet skal vurdere korleis tilbodet til kvinner kan bli betre.", "kvinner", "attributed"),
    # fengsel
    ("Innsatte må få tilgang til rusbehandling under soning.", "fengsel", "support"),
    ("Alle fengsler bør ha en rusmestringsenhet.", "fengsel", "support"),
    ("Mange innsette får ikkje behandling for rusproblema sine.", "fengsel", "support"),
    # hedged / conditional (label is still the sign; confidence is tested separately)
    ("Det kan være aktuelt å vurdere flere døgnplasser.", "dognplasser", "support"),
    ("Dersom kapasiteten i kommunene økes, kan antallet døgnplasser reduseres.", "dognplasser", "mentions"),
    # nothing at all
    ("Vi takker for muligheten til å gi innspill.", "dognplasser", "none"),
]

BATCH_B = [
    ("Vi vil advare sterkt mot ytterligere kutt i døgnkapasiteten.", "dognplasser", "support"),
    (
        "Det er på tide å redusere antallet døgnplasser og satse mer på hjemmebasert oppfølging.",
        "dognplasser",
        "oppose",
    ),
    ("Nedleggelsen av rusinstitusjonen i Sørbygda var et feilgrep.", "dognplasser", "support"),
    ("Vi har ingen innvendinger mot at døgnplasser omgjøres til ambulante tilbud.", "dognplasser", "oppose"),
    (
        "Fylket har mista halvparten av døgnplassane sine på fem år, og det er ei svært uheldig utvikling.",
        "dognplasser",
        "support",
    ),
    ("Flere døgnplasser er ikke løsningen.", "dognplasser", "oppose"),
    ("Antallet sengeplasser i TSB bør opprettholdes.", "dognplasser", "support"),
    ("Vi stiller oss bak regjeringens forslag om flere døgnplasser.", "dognplasser", "support"),
    ("Vi er einige i at talet på døgnplassar må aukast.", "dognplasser", "support"),
    ("Det er ikke dokumentert at flere døgnplasser gir bedre resultater.", "dognplasser", "oppose"),
    ("Bruk av narkotika skal ikke straffes.", "avkriminalisering", "support"),
    ("Vi mener det er et feil signal å fjerne straffen for narkotikabruk.", "avkriminalisering", "oppose"),
    ("Vi stør framlegget om å avkriminalisere bruk av narkotika.", "avkriminalisering", "support"),
    ("Straffeforfølgning av brukere gjør mer skade enn nytte.", "avkriminalisering", "support"),
    ("Narkotikaforbudet bør beholdes.", "avkriminalisering", "oppose"),
    (
        "Vi ønsker at politiet fortsatt skal kunne gi bøter for besittelse av narkotika.",
        "avkriminalisering",
        "oppose",
    ),
    ("Rusreformen ble stemt ned i Stortinget i 2021.", "avkriminalisering", "mentions"),
    (
        "Vi ber om at integrert behandling av rus og psykiske lidelser blir standard i hele landet.",
        "samtidig-rop",
        "support",
    ),
    ("Mange pasienter blir kasteballer mellom psykisk helsevern og TSB.", "samtidig-rop", "support"),
    ("Det bør ikkje stillast krav om rusfridom før psykiatrisk behandling.", "samtidig-rop", "support"),
    ("FACT-modellen bør innføres i alle helseforetak.", "fact-act", "support"),
    ("Vi er skeptiske til å bruke mer penger på ACT-team.", "fact-act", "oppose"),
    ("Vi anbefaler ikke at FACT-teamene legges ned.", "fact-act", "support"),
    ("Det er ingen grunn til å bygge ut flere ACT-team.", "fact-act", "oppose"),
    ("Alkohol får altfor lite oppmerksomhet i dagens rusbehandling.", "alkohol", "support"),
    ("Vi meiner alkoholpolitikken må strammast inn.", "alkohol", "support"),
    ("Narkotika bør prioriteres framfor alkohol.", "alkohol", "oppose"),
    ("Det er bekymringsfullt at så mange unge debuterer tidlig med alkohol.", "alkohol", "support"),
    ("Kommunene har ikke kompetanse til å overta ansvaret for rusbehandlingen.", "tsb-spesialist", "support"),
    (
        "Tverrfaglig spesialisert rusbehandling bør flyttes ut av spesialisthelsetjenesten.",
        "tsb-spesialist",
        "oppose",
    ),
    (
        "Vi vil åtvare mot å overføre rusbehandling frå spesialisthelsetenesta til kommunane.",
        "tsb-spesialist",
        "support",
    ),
    ("Pasientene må få behandling så lenge de har behov for det.", "behandlingslengde", "support"),
    ("Tidsavgrensede opphold på åtte uker er ofte for korte.", "behandlingslengde", "support"),
    ("Vi støtter innføringen av pakkeforløp for rusbehandling.", "behandlingslengde", "oppose"),
    ("Utskrivning bør aldri skje uten at pasienten har et sted å bo.", "ettervern", "support"),
    ("Kommunene må sikre arbeid og meningsfulle aktiviteter etter endt behandling.", "ettervern", "support"),
    ("Ettervernet er i dag for dårlig.", "ettervern", "support"),
    ("Det er bekymringsfullt at så mange unge debuterer tidlig med alkohol.", "barn-unge", "support"),
    ("Helsestasjon for ungdom bør styrkes.", "barn-unge", "support"),
    ("Private rusinstitusjoner har gjort en viktig jobb og må få fortsette.", "ideelle", "support"),
    ("Konkurranseutsetting av rusbehandling må stanses.", "ideelle", "support"),
    ("Det offentlege bør drive rusbehandlinga sjølv, ikkje kjøpe tenester frå private.", "ideelle", "oppose"),
    ("Velferdsprofitt har ingen plass i rusbehandlingen.", "ideelle", "oppose"),
    ("LAR-pasienter bør få ta med seg medisinen hjem.", "lar", "support"),
    ("Kravene til urinprøver i LAR bør fjernes.", "lar", "support"),
    ("Vi meiner LAR-tilbodet må bli lettare tilgjengeleg.", "lar", "support"),
    ("Brukerne må få reell innflytelse over egen behandling.", "brukermedvirkning", "support"),
    ("Likepersoner gjør en uvurderlig innsats.", "brukermedvirkning", "support"),
    ("Pårørande blir for ofte haldne utanfor.", "brukermedvirkning", "support"),
    ("Mangel på psykologer er den største utfordringen i TSB.", "kompetanse", "support"),
    ("Kompetansekravene til ansatte i rusbehandling bør heves.", "kompetanse", "support"),
    ("Det trengst fleire legespesialistar i rusmedisin.", "kompetanse", "support"),
    ("Vi etterlyser bedre statistikk over ventetider i rusbehandlingen.", "kunnskap-kvalitet", "support"),
    ("Det må forskes mer på hvilke behandlingsformer som virker.", "kunnskap-kvalitet", "support"),
    ("Kvinner med barn må kunne ta med seg barna i behandling.", "kvinner", "support"),
    ("Det manglar tilbod som er tilpassa kvinner.", "kvinner", "support"),
    ("Helsetilbudet i fengslene er svært mangelfullt.", "fengsel", "support"),
    ("Innsatte med rusproblemer må følges opp etter løslatelse.", "fengsel", "support"),
    ("Regjeringen mener at flere skal få behandling i fengsel.", "fengsel", "attributed"),
]

BATCH_C = [
    ("Vi kan ikke se at det er grunnlag for å bygge ned flere døgnplasser.", "dognplasser", "support"),
    ("Døgnbehandlingen bør i større grad erstattes av behandling i hjemmet.", "dognplasser", "oppose"),
    ("Etter vår vurdering har regionen i dag for mange døgnplasser.", "dognplasser", "oppose"),
    ("Vi reagerer sterkt på at døgnenheten i Nordby skal legges ned.", "dognplasser", "support"),
    (
        "Fleire døgnplassar er heilt nødvendig for at pasientane skal få hjelp i tide.",
        "dognplasser",
        "support",
    ),
    (
        "Vi går inn for å beholde dagens straffebestemmelser for bruk av narkotika.",
        "avkriminalisering",
        "oppose",
    ),
    ("Det er på høy tid at bruk av narkotika ikke lenger straffes.", "avkriminalisering", "support"),
    (
        "Vi er sterkt kritiske til at regjeringen vil fjerne straffen for narkotikabruk.",
        "avkriminalisering",
        "oppose",
    ),
    (
        "Me meiner straff for eigen bruk av narkotika gjer meir skade enn gagn.",
        "avkriminalisering",
        "support",
    ),
    (
        "Politiet bør fortsatt ha mulighet til å bøtelegge personer som bruker narkotika.",
        "avkriminalisering",
        "oppose",
    ),
    ("Psykisk helsevern må slutte å avvise pasienter som bruker rusmidler.", "samtidig-rop", "support"),
    (
        "Vi støtter ikke at rusbehandling og psykiatri slås sammen til én behandling.",
        "samtidig-rop",
        "oppose",
    ),
    ("Tilbudet om oppsøkende behandling er i dag alt for lite.", "fact-act", "support"),
    (
        "Vi ønsker at FACT-teamene legges ned og at ressursene flyttes til poliklinikkene.",
        "fact-act",
        "oppose",
    ),
    ("Det er grunn til å satse langt mer på forebygging av alkoholskader.", "alkohol", "support"),
    ("Alkohol bør ikke ha en egen plass i reformen.", "alkohol", "oppose"),
    ("Rusbehandlinga må framleis vere ei oppgåve for spesialisthelsetenesta.", "tsb-spesialist", "support"),
    ("Vi mener kommunene bør få hovedansvaret for rusbehandlingen.", "tsb-spesialist", "oppose"),
    ("Pasientene bør få bli i behandling til de er klare for å reise hjem.", "behandlingslengde", "support"),
    ("Behandlingstiden bør standardiseres og kortes ned.", "behandlingslengde", "oppose"),
    ("Mange står uten bolig når de skrives ut, og det er uholdbart.", "ettervern", "support"),
    ("Ettervernet bør ikke prioriteres foran selve behandlingen.", "ettervern", "oppose"),
    ("Unge med rusproblemer får ikke hjelp tidlig nok.", "barn-unge", "support"),
    ("Skolehelsetenesta må få fleire helsesjukepleiarar.", "barn-unge", "support"),
    ("Vi mener at ideelle aktører bør få langsiktige avtaler.", "ideelle", "support"),
    ("Anbudsrundene skaper uforutsigbarhet for pasientene.", "ideelle", "support"),
    ("Rusbehandling bør drives av det offentlige, ikke av private selskaper.", "ideelle", "oppose"),
    ("LAR-regelverket er for rigid og bør mykes opp.", "lar", "support"),
    ("Vi er imot at kravene i LAR svekkes.", "lar", "oppose"),
    (
        "Brukere og pårørende må få sitte ved bordet når tjenestene planlegges.",
        "brukermedvirkning",
        "support",
    ),
    (
        "Det er viktig å ta i bruk erfaringskompetanse i alle deler av behandlingen.",
        "brukermedvirkning",
        "support",
    ),
    ("Det er for få psykologer i rusfeltet.", "kompetanse", "support"),
    ("Vi støtter å senke kompetansekravene for å få flere hender i tjenestene.", "kompetanse", "oppose"),
    ("Det mangler gode tall på hvor mange som får et behandlingstilbud.", "kunnskap-kvalitet", "support"),
    ("Rapporteringskravene bør reduseres kraftig.", "kunnskap-kvalitet", "oppose"),
    ("Kvinner i rusbehandling må skjermes mot menn som har utøvd vold.", "kvinner", "support"),
    ("Vi ser ikke grunn til å opprette egne avdelinger for kvinner.", "kvinner", "oppose"),
    ("Ingen innsatte bør løslates uten en plan for videre behandling.", "fengsel", "support"),
    ("Tilbudet til innsatte med rusproblemer er godt nok i dag.", "fengsel", "oppose"),
    ("Regjeringa har lova fleire døgnplassar, men vi har ikkje sett noko til det.", "dognplasser", "support"),
]

BATCH_D = [
    (
        "Etter vårt syn bør ressursene flyttes fra døgnbehandling til ambulante team som kan følge "
        "pasientene hjemme.",
        "dognplasser",
        "oppose",
    ),
    (
        "Vi er sterkt bekymret over at helseforetaket planlegger å redusere antall døgnplasser med en "
        "tredjedel.",
        "dognplasser",
        "support",
    ),
    ("Døgnbehandling er for mange den eneste veien ut av en tung avhengighet.", "dognplasser", "support"),
    (
        "Forbundet mener at bruk av narkotika fortsatt skal være forbudt og straffbart.",
        "avkriminalisering",
        "oppose",
    ),
    (
        "Vi er glade for at flere nå tar til orde for at rusavhengige skal møtes med hjelp og ikke straff.",
        "avkriminalisering",
        "support",
    ),
    (
        "Det vil være et tilbakeskritt å fjerne muligheten for straffereaksjoner overfor unge "
        "narkotikabrukere.",
        "avkriminalisering",
        "oppose",
    ),
    ("Me er usamde i at straff er ein god reaksjon på rusbruk.", "avkriminalisering", "support"),
    ("Pasienter med ROP-lidelser må få behandling for begge lidelsene samtidig.", "samtidig-rop", "support"),
    ("Det er en utfordring at FACT-teamene mangler stabil finansiering.", "fact-act", "support"),
    (
        "Vi vil be utvalget vurdere om ACT-teamene bør avvikles til fordel for ordinære poliklinikker.",
        "fact-act",
        "oppose",
    ),
    ("Alkoholproblemer får altfor liten oppmerksomhet i helsetjenesten.", "alkohol", "support"),
    (
        "Spesialisthelsetenesta må framleis ha ansvaret for tverrfagleg spesialisert rusbehandling.",
        "tsb-spesialist",
        "support",
    ),
    ("Det er rett at kommunane får eit større ansvar for rusbehandlinga.", "tsb-spesialist", "oppose"),
    ("Mange pasienter skrives ut lenge før de er klare for det.", "behandlingslengde", "support"),
    (
        "Vi mener faste behandlingsforløp med klar tidsramme gir bedre kvalitet.",
        "behandlingslengde",
        "oppose",
    ),
    ("Uten en trygg bolig faller mange tilbake til rus kort tid etter behandlingen.", "ettervern", "support"),
    ("Tilbudet til barn som vokser opp med rusavhengige foreldre er altfor svakt.", "barn-unge", "support"),
    (
        "Anbudskonkurransene har ført til at flere ideelle institusjoner har måttet legge ned.",
        "ideelle",
        "support",
    ),
    ("Vi ønsker at det offentlige tar tilbake driften av rusinstitusjonene.", "ideelle", "oppose"),
    ("LAR-pasienter må få velge mellom flere legemidler.", "lar", "support"),
    ("Pårørende har verdifull kunnskap som tjenestene må ta i bruk.", "brukermedvirkning", "support"),
    ("Det er ikke nødvendig med flere likepersoner i tjenestene.", "brukermedvirkning", "oppose"),
    ("Rusfeltet mangler psykologspesialister.", "kompetanse", "support"),
    ("Vi savner systematisk innsamling av data om behandlingsresultater.", "kunnskap-kvalitet", "support"),
    ("Gravide rusavhengige må få et eget tilbud i alle helseregioner.", "kvinner", "support"),
    ("Løslatte må få oppfølging fra første dag utenfor murene.", "fengsel", "support"),
    ("Regjeringen ønsker å legge ned fengselsavdelingene for rusbehandling.", "fengsel", "attributed"),
    ("Utvalget bør anbefale flere døgnplasser for ungdom.", "dognplasser", "support"),
    ("Vi støtter regjeringens forslag om å redusere antallet døgnplasser.", "dognplasser", "oppose"),
    ("Vi kan ikke støtte forslaget om avkriminalisering.", "avkriminalisering", "oppose"),
]

# Batch E: general patterns found missing by an independent red-team set (concessions, "mot"/"feil å"/
# "skeptisk til", non-commitment frames, Nynorsk -jast passives, predicative comparatives, topic carry-over,
# over-broad topic words). Written for the tests in new words, measured once before the fixes.
BATCH_E = [
    # 1 concessions: the conceded clause does not carry the stance, the clause after "men" does
    ("Vi forstår ønsket om flere døgnplasser, men vi mener antallet bør reduseres.", "dognplasser", "oppose"),
    ("Vi forstår ynsket om færre døgnplassar, men vi meiner talet må aukast.", "dognplasser", "support"),
    (
        "Riktignok er straff lite effektivt for mange, men bruk av narkotika bør fortsatt være straffbart.",
        "avkriminalisering",
        "oppose",
    ),
    ("Rett nok er fleire døgnplassar dyrt, men kapasiteten må styrkjast.", "dognplasser", "support"),
    (
        "Vi ser at ambulante team har mange fordeler, men vi kan ikke støtte en utbygging av FACT-team.",
        "fact-act",
        "oppose",
    ),
    # 2 opposition words
    ("Vi er mot å oppheve straffen for bruk av narkotika.", "avkriminalisering", "oppose"),
    ("Vi er motstandere av avkriminalisering.", "avkriminalisering", "oppose"),
    ("Me er imot at døgnplassane blir lagde ned.", "dognplasser", "support"),
    ("Det vil være feil å bygge ned døgnplassene.", "dognplasser", "support"),
    ("Det er feil å opprette fleire døgnplassar no.", "dognplasser", "oppose"),
    ("Vi er skeptiske til en avkriminalisering av narkotikabruk.", "avkriminalisering", "oppose"),
    (
        "Vi er kritiske til at driften blir konkurranseutsatt eller overført til private og ideelle aktører.",
        "ideelle",
        "oppose",
    ),
    ("Vi mener tvert imot at flere døgnplasser bør opprettes.", "dognplasser", "support"),
    ("Vi bør ikke gi slipp på straffen for narkotikabruk.", "avkriminalisering", "oppose"),
    ("Køene til døgnbehandling må ned.", "dognplasser", "support"),
    ("Bruk av narkotika skal fortsatt være forbudt.", "avkriminalisering", "oppose"),
    ("Narkotikabruk skal framleis vere straffbart.", "avkriminalisering", "oppose"),
    # 3 attribution / non-commitment frames
    ("Vi har fått innspill om at døgnplassene bør økes.", "dognplasser", "attributed"),
    (
        "Det blir ofte hevdet at avkriminalisering vil redusere overdosedødsfallene.",
        "avkriminalisering",
        "attributed",
    ),
    ("Det blir hevda at fleire døgnplassar trengst.", "dognplasser", "attributed"),
    ("Medlemmer har spurt om antallet døgnplasser bør økes.", "dognplasser", "attributed"),
    (
        "Om talet på døgnplassar skal aukast eller ikkje, er eit vanskeleg spørsmål.",
        "dognplasser",
        "attributed",
    ),
    ("Vi tar ikke stilling til om døgnplassene bør økes.", "dognplasser", "attributed"),
    ("Vi tek ikkje stilling til avkriminalisering av narkotika.", "avkriminalisering", "attributed"),
    ("Vi har ikke grunnlag for å vurdere hvor mange døgnplasser som trengs.", "dognplasser", "attributed"),
    # 4 Nynorsk passives and predicative comparatives
    ("Døgnplassane i rusbehandlinga bør byggjast ned.", "dognplasser", "oppose"),
    ("Døgnkapasiteten må ikkje reduserast.", "dognplasser", "support"),
    ("Behandlingsforløpene bør være kortere og mer standardiserte.", "behandlingslengde", "oppose"),
    ("Behandlingsopphalda bør vere lengre enn i dag.", "behandlingslengde", "support"),
    # 6 precision: specialist names and register names
    ("Pasienten fikk hjelp fra en jobbspesialist.", "kompetanse", "none"),
    (
        "Klinikken rapporterer til Nasjonalt kvalitetsregister for behandling av skadelig rusmiddelbruk.",
        "kunnskap-kvalitet",
        "mentions",
    ),
]

# "uten/utan" after the object negates its own noun phrase only
BATCH_E += [
    ("Vi anbefaler korte forløp framfor lange opphold uten tydelige mål.", "behandlingslengde", "oppose"),
    (
        "Me rår til lengre opphald i staden for korte forløp utan tydelege mål.",
        "behandlingslengde",
        "support",
    ),
]

# Policy tightening, money moved "fra A til B", "ramme" as harm
BATCH_E += [
    ("Det er galt å flytte midler fra behandling til alkoholforebygging.", "alkohol", "oppose"),
    ("Me vil flytte pengar frå narkotikatiltak til alkoholførebygging.", "alkohol", "support"),
    ("En innstramming av alkoholpolitikken vil ramme folk flest.", "alkohol", "oppose"),
    ("Vi støtter en innstramming av alkoholpolitikken.", "alkohol", "support"),
]

# a new clause at "og vi advarer/krever", passive "omdisponeres"
BATCH_E += [
    (
        "Vi mener ikke at flere FACT-team løser problemet, og vi advarer mot en slik satsing.",
        "fact-act",
        "oppose",
    ),
    ("Vi frykter at midlene til døgnbehandling omdisponeres.", "dognplasser", "support"),
    ("Me ønskjer at pengane til døgnplassane blir omdisponerte til ambulante team.", "dognplasser", "oppose"),
]

# inverted order "kan vi ikke støtte", "svaret på X-problemet"
BATCH_E += [
    ("Derfor kan vi ikke støtte en avkriminalisering av narkotika.", "avkriminalisering", "oppose"),
    ("Difor kan me ikkje stø ei avkriminalisering.", "avkriminalisering", "oppose"),
    ("Flere FACT-team er ikke svaret på kapasitetsproblemene i rusfeltet.", "fact-act", "oppose"),
    ("Fleire ACT-team er løysinga på kapasitetsutfordringane.", "fact-act", "support"),
]

# topic precision: the service name TSB and a professional community as someone else's voice
BATCH_E += [
    ("Enkelte fagmiljø har teke til orde for å leggje ned døgnplassar.", "kompetanse", "none"),
    ("Tverrfaglig spesialisert rusbehandling må få mer penger.", "kompetanse", "none"),
    ("Vi må styrke fagmiljøene i rusbehandlingen.", "kompetanse", "support"),
]

# Batch F: patterns from the second red-team set's failures (fronted subordinate clauses, a subject-less
# "men" predicate, negated rejection practices, "i stedet for å forlenge", deferring, goals, advising
# against, LAR control and thresholds, standardising as a passive, acting on alcohol harm). Written with
# the fixes, so they guard the rules rather than measure them.
BATCH_F = [
    ("Der det brukes anbud, bør kvalitet telle mer enn pris.", "ideelle", "mentions"),
    ("Når kommunene planlegger døgnplasser, må brukerne tas med fra starten.", "dognplasser", "mentions"),
    (
        "Når departementet vurderer finansieringen, er det vårt klare ønske at kvinner får egne tilbud.",
        "kvinner",
        "support",
    ),
    ("Langtidsbehandling skal finnes, men bør være unntaket.", "behandlingslengde", "oppose"),
    ("Døgnplassane skal ikkje fjernast, men må vere eit unntak.", "dognplasser", "oppose"),
    ("Psykisk helsevern kan ikke avvise pasienter fordi de bruker rusmidler.", "samtidig-rop", "support"),
    (
        "Regionen bør bygge egne tjenester i stedet for å forlenge kontraktene med ideelle aktører.",
        "ideelle",
        "oppose",
    ),
    (
        "Spørsmålet om fengselshelsetjenesten kommer vi tilbake til i et senere innspill.",
        "fengsel",
        "attributed",
    ),
    ("Vi overlet til fagfolka å vurdere kor mange døgnplassar som trengst.", "dognplasser", "attributed"),
    ("Det bør være et mål å beholde dagens døgnplasser.", "dognplasser", "support"),
    ("Vi ser det ikkje som eit mål i seg sjølv å halde på talet på døgnplassar.", "dognplasser", "oppose"),
    ("Forbundet fraråder at kravene til urinprøver i LAR lempes.", "lar", "oppose"),
    ("Vi går imot å senke terskelen for oppstart i LAR.", "lar", "oppose"),
    ("Vi ber om at kontrollen med utlevering av LAR-medisiner blir mindre streng.", "lar", "support"),
    ("Vi mener rusbehandlingen i større grad bør standardiseres.", "behandlingslengde", "oppose"),
    (
        "Vi ber om tiltak for tidlig avdekking av risikofylt alkoholbruk i svangerskapet.",
        "alkohol",
        "support",
    ),
    ("Det er teke til orde for at alkohol skal prioriterast framfor narkotika.", "alkohol", "attributed"),
    ("Avtalene bør være langsiktige, gjerne med en varighet på ti år.", "behandlingslengde", "none"),
    ("LAR fungerer godt i dag, og vi ser ingen grunn til å endre regelverket.", "lar", "oppose"),
    ("Vi er glade for at flere får behandling hjemme i stedet for i institusjon.", "dognplasser", "oppose"),
    (
        "Behandlinga bør vere så kort som mogleg, slik at folk kjem tilbake til kvardagen.",
        "behandlingslengde",
        "oppose",
    ),
    ("Pasienter blir avvist fra psykisk helsevern fordi de ruser seg.", "samtidig-rop", "support"),
]

# Guards for the rules added after held-out set 4: ranking comparisons ("gjør mer nytte i A enn i B"),
# evidence against a claim, one "uten" per complement, past-tense and passive reports of others' views,
# refraining ("la være å"), and topic words in another sense.
BATCH_G = [
    ("Pengene gir langt mer nytte i oppsøkende team enn i nye døgnplasser.", "dognplasser", "oppose"),
    ("Pengane gjer meir nytte i døgnavdelingane enn i ambulante team.", "dognplasser", "support"),
    ("Vi mener poliklinisk oppfølging gir dårligere resultat enn døgnopphold.", "dognplasser", "support"),
    ("Midlene bør heller gå til lavterskeltilbud enn til flere døgnplasser.", "dognplasser", "oppose"),
    ("Det er mer enn 200 døgnplasser i regionen.", "dognplasser", "mentions"),
    (
        "Det finnes få solide studier som viser at lange opphold gir bedre resultater.",
        "behandlingslengde",
        "oppose",
    ),
    (
        "Behandlingen må starte raskt, uten lang venting og uten krav om rusfrihet.",
        "samtidig-rop",
        "support",
    ),
    ("Flere av fagforeningene tok til orde for flere døgnplasser.", "dognplasser", "attributed"),
    ("Representanter for pasientorganisasjonene ønsket kortere ventetid i LAR.", "lar", "attributed"),
    ("Heroinassistert behandling blir gjerne framhevet som løsningen for de tyngste.", "lar", "attributed"),
    ("Vi har ikkje teke stilling til om LAR bør endrast.", "lar", "attributed"),
    ("Vi ber departementet la være å legge ned flere døgnplasser.", "dognplasser", "support"),
    ("Vi er imot å senke terskelen for å komme inn i LAR.", "lar", "oppose"),
    ("Kommunen bør ikke tilrå lempinger i LAR-regelverket.", "lar", "oppose"),
    ("Skolehelsetjenesten må fange dem opp tidlig.", "fengsel", "none"),
    ("Vi tilbyr sorggrupper og ettervern for etterlatte.", "ettervern", "none"),
    ("Unge og voksne som bruker cannabis, bør møte en reaksjon.", "barn-unge", "none"),
    ("Ansvaret skal etter planen flyttes til kommunene fra 2027.", "tsb-spesialist", "mentions"),
]

# Guards for the rules added after held-out set 5 (bureaucratic register): a new subject after ", og" opens
# a clause of its own, third parties' attitudes and impersonal reports, "uten" only in its own clause, a
# trailing "verken ... eller" predicate, non-commitment by not having assessed, and acceptance ("kan gjerne").
BATCH_G += [
    (
        "Vi trur ikkje at døgnplassar hjelper, og fylket vil ikkje at ambulante team skal leggjast ned.",
        "fact-act",
        "support",
    ),
    ("Vi forstår at mange er bekymret for nedleggelsen av døgnplasser.", "dognplasser", "attributed"),
    ("Det anføres ofte at straff hindrer folk i å søke hjelp.", "avkriminalisering", "attributed"),
    (
        "Vi ber om at legen kan starte behandling uten henvisning, og at LAR-pasienter får smertelindring.",
        "lar",
        "support",
    ),
    ("Ved narkotikabruk bør bøter verken videreføres eller skjerpes.", "avkriminalisering", "support"),
    ("Vi har ikke gjort noen vurdering av hvor mange døgnplasser som trengs.", "dognplasser", "attributed"),
    ("Antallet døgnplasser kan etter vårt syn gjerne bli lavere.", "dognplasser", "oppose"),
    ("Å bygge ut FACT-team her er feil bruk av knappe midler.", "fact-act", "oppose"),
]
BATCH_G += [
    ("Den største risikoen er mangelen på legespesialister og psykologer.", "kompetanse", "support"),
    ("Ei vidare utbygging av FACT-team bør avvente ei norsk evaluering.", "fact-act", "oppose"),
    ("Pasienter med moderate alkoholproblemer bør følges opp av fastlegen.", "alkohol", "none"),
    ("Kommunen ber utvalget anbefale flere døgnplasser.", "dognplasser", "support"),
    ("Vi deler ikke ønsket om å fjerne straffen for narkotikabruk.", "avkriminalisering", "oppose"),
    ("Et narkotikaforbud uten konsekvenser blir sett som aksept, mener vi.", "avkriminalisering", "oppose"),
    ("Innsatte i fengsler uten rusmestringsenhet må kunne overføres.", "fengsel", "support"),
    ("Pasientrapporterte mål om livskvalitet, bolig og arbeid bør inngå i registeret.", "ettervern", "none"),
]
