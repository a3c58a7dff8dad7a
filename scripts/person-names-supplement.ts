/**
 * Given names and surnames of the communities champions serve that the
 * name package does not hold in Latin letters: Arabic, Somali, Eritrean and
 * Ethiopian, Pakistani, Bangladeshi, Indian (Muslim, Sikh, Hindu), Afghan,
 * Kurdish and West African names, as they are transliterated in the UK, with
 * the common variant spellings. Input to scripts/person-names.ts (issue 28).
 */
export const supplementGivenNames = `
abdi abdiaziz abdikarim abdirahman abdirashid abdullahi abdulkadir abdul abdullah abdulrahman abdo abdallah abubakar abukar adnan
afzal ahmad ahmed ahmet aisha ayesha aishah akbar akram alia aliya aliyah amal amani amina aminah aminata amir amira amna anas anwar
arif arshad asad asha asif asim asma ayaan ayan ayub aziz azra bashir bilal bilqis bushra dalia dhahabo deeqa deqa fadumo faduma
fahad faisal faiza farah farhan farida fariha farooq farrukh farzana fatima fatimah fatma fawzia filsan fowsia fozia gulnaz habiba
hafsa haleema halima halimo hamid hamza hana hanan haroon hasan hassan hawa hibo hina hodan huda hussain hussein ibrahim idil idris
ifrah ikram ilham imran iqbal irfan ismail jamal jamila jawad kadra kamal karim kawsar khadija khadra khalid khalil laila layla leila
lubna mahamed mahmood mahmoud majid malik maryam mariam marwa maymuna mehwish mohamed mohamud mohammad mohammed muhammad munira
mustafa nabil nadia nadeem naeem nafisa najma nasra nasrin nawal nazia nimco nur nura nusrat omar osman parveen qasim rabia rahim
rahma rania rashid rasheed rehana riaz rubina ruqia rukhsana saad sabah sabrina sadia saeed safia sahra saida salim salma samia
samira sana saqib shabana shahid shakeel shamsa sharif shazia shirin shukri sidra sumaya sumayah tahir talha tariq uzma wafa waleed
waqas warda warsame yasin yasmin yasmeen yousef yusuf yussuf zahra zainab zaynab zakaria zara zeinab zubair zulekha zuhra
abeba abrehet aklilu almaz alem awet berhane bereket biniam dawit eden efrem eyob fanuel feven filmon ghebre ghirmay habtom haile
hagos helen hiwet kidane kibrom luwam mebrahtu medhanie mehret merhawi meron mussie natnael rahel saba selam semhar senait simret
tekle tesfaye tesfay tsega tsegay tigist weldu yemane yohannes yonas yordanos yosief zewdi
aamir aarav abida adeel afsana akhtar alisha amandeep amarjit amrit anjali anil arjun arun asif balbir baljit bhupinder chandni
deepa deepak dilshad farhana gagandeep gurdeep gurinder gurjit gurmeet gurpreet harjit harpreet harvinder inderjit jagdeep jaswinder
jaspreet jasvir kamaljit kiranjit kuldeep kulwant lakshmi mandeep manjit mohinder navdeep navjot nisha palvinder parminder pooja priya
rajinder rajesh rakesh ramandeep ravinder rupinder satnam simran sukhdeep sukhjinder sukhwinder sunita surinder tajinder tanveer
yasmine shamima shahana rumana rukhsar nazma nilufa salma shapla taslima jahanara rokeya mahfuz mizanur mostafa rafiq shafiq
sohel shahin habib momin anwara khaleda
ahmadullah farid fawad gulalai hamid hamida khadija mahbooba mursal nargis nasima nazanin shukria wahid zarghona zarmina zahir
aram azad dilan hevi hozan kawa rebin shilan shirin soran zhilwan
adebayo adaeze adwoa afua akosua ama chiamaka chidi chinedu emeka folake funmilayo ifeoma kemi kofi kwame kwabena ngozi nkechi
obinna oluwaseun tunde yaw yetunde abena efua thandiwe precious blessing tendai tatenda rumbidzai chipo
abdulaziz abdulla adil ahlam aliya anisa arwa asmaa aya ayman basma bassam dina duaa eman esraa fadi fares ghada hadeel haitham
hala hamdi hanaa hasna heba hiba hisham hosam iman inas islam jamal jana joud kareem khaled lama lina lujain maha mahmud manal
maram marwan mazen mohannad mona muna nada nadine najwa nisreen noor noura nour omar rami rana randa rasha reem rima ruba rula
rawan sahar sami samir sara sawsan shadi suha tamer wael walid wassim wasim yara yasir yaser yasser yusra aster zaid zakaria ziad
abdikadir abdiwali ahmednur ayanle bahsan caasha cabdi canab dahir faysal fartun hamdi hibaaq hodo ifrah istar kaltun
khadar layla liban maandeeq mukhtar muna nimo qamar rooble sagal samatar shamso sucaad ubah ugaas yasmin zamzam
abid adeela aliza amjad ammar ansar aqsa arooj asma atif ayesha azhar bushra ejaz faheem fawad hafeez hamza haris iram irfan
javed kashif khurram mahnoor mehreen mubashir mudassar nabeela naila nasir naveed nadeem nauman noman qaiser rabia rafia rahima
raheela rizwan sabeen saima saira sajid sajjad salman samina sana shabnam shafqat shahida shahzad shaista shehzad shoaib sobia
sumaira tahira tanzeela tariq usman wajid yasmeen zahid zeeshan zubaida
aarti amit anita anjum ashok bhavna deepika dinesh geeta gita hema jaya kamla kavita kiran lata mahesh manish meena neha nikhil
poonam pradeep prakash pushpa rahul rekha ritu rohit sangeeta sanjay seema shanti sheetal shilpa smita sonia suresh sushma usha
vijay vikram
ayse aysel ayten burak busra cemile derya ebru elif emine emre esra fatih gulsen hakan hatice huseyin kubra mehmet melek merve
murat nurcan ozlem recep selin serkan sevgi tugba yasemin yavuz zehra zeynep zeliha
adrian agata anka basia bartek bartosz beata daria dorota edyta ewa gosia grazyna halina iwona jacek janusz jolanta kasia kuba
krzysztof lukasz marek marta mirek ola olek radek renata sylwia tomek wojtek zosia zbigniew
alexandru andreea bogdan catalin cosmin florin gabriela ioana iulia madalina mihaela mihai nicoleta ovidiu raluca razvan sorin
valentina vasile viorel
ausra dainius egle giedre inga jurgita laima mindaugas rasa ruta tomas vaida zivile andris ilze inese janis liga zane
aleksandra bohdan dmytro halyna iryna kateryna mykola nataliya oksana olena olha serhiy svitlana taras tetiana vitaliy yulia
fernanda fabiana flavia gisele graziela jaqueline leticia luciana mariana patricia priscila rafaela renata rosangela tatiana
thais vanessa adriano caio diego fabio gustavo leandro marcelo rodrigo thiago tiago vinicius joao goncalo rui nuno filipa ines
aoife aisling caoimhe ciara clodagh deirdre eimear grainne niamh orla roisin saoirse sinead siobhan una cathal ciaran colm eoin
padraig seamus
gaz baz daz kaz shaz tez jase macca
`;

export const supplementSurnames = `
abdi abdullah adan ahmed akhtar ali aslam awan aziz begum bibi butt chaudhry chaudhary choudhury dar farah gill hassan hussain
hussein iqbal islam jama kaur khan malik mahmood mirza mohamed mohammed mughal nawaz noor osman patel qureshi rahman raja rana
rashid sandhu shah sheikh siddiqui singh sohal uddin warsame yusuf ghebremedhin tesfamariam haile kidane mebrahtu tekle tewolde
woldemariam gebremichael okafor okonkwo adeyemi mensah boateng asante owusu kowalski kowalska nowak wisniewski wisniewska
wojcik lewandowski kaminski popescu ionescu
`;
