// Filtres et recherche de la page « Projets » : amélioration progressive, sans dépendance.
//
// Sans JavaScript, la page liste tous les projets par sa pagination et ce script ne change
// rien (la feuille de style masque alors le formulaire). Avec lui, l'index construit par
// amiris (projets/recherche.json : cartes, facettes, racines des mots) est téléchargé une
// fois ; les groupes de filtres, repliés, sont remplis ; chaque changement filtre la liste,
// met à jour le nombre de projets de l'introduction, les nombres à côté des valeurs, les
// filtres actifs (boutons pour les retirer) et l'adresse de la page
// (?secteur=…&territoire=…&stade=…&public=…&annee=…&essaimage=ouvert&q=…). Avec une
// recherche, les projets sont classés par pertinence (titre, puis résumé, puis texte ; le plus
// récent d'abord à égalité) et les mots trouvés sont surlignés.
// L'index donne la langue de la page (mots vides, racinisation, écriture des nombres) et les
// textes que le script écrit, pris dans les textes du thème (i18n/<langue>.yaml) : le script
// n'en contient aucun.
// Le pliage des mots, les mots vides et les racinisations française et anglaise sont ceux de
// src/render/search.rs : les deux doivent rester identiques. Le contenu n'est jamais inséré
// comme HTML (textContent).
(function () {
  'use strict';

  // Lettres accentuées et ligatures, par les lettres qu'elles deviennent (comme search.rs).
  var PLIS = [
    ['a', 'àáâãäåā'], ['c', 'çćč'], ['e', 'èéêëēėęě'], ['i', 'ìíîïī'], ['n', 'ñń'],
    ['o', 'òóôõöøō'], ['u', 'ùúûüū'], ['y', 'ýÿ'], ['oe', 'œ'], ['ae', 'æ'], ['ss', 'ß'],
    ['s', 'š']
  ];
  var MOTS_VIDES = [
    'au', 'aux', 'avec', 'ce', 'ces', 'cet', 'cette', 'dans', 'de', 'des', 'du', 'elle', 'en',
    'et', 'est', 'il', 'ils', 'la', 'le', 'les', 'leur', 'leurs', 'lui', 'mais', 'me', 'meme',
    'mes', 'ne', 'nos', 'notre', 'nous', 'on', 'ou', 'par', 'pas', 'pour', 'qu', 'que', 'qui',
    'sa', 'se', 'ses', 'son', 'sur', 'un', 'une', 'vos', 'votre', 'vous', 'ete', 'etre', 'sont',
    'ont', 'plus', 'aussi', 'comme', 'tout', 'tous'
  ];
  var SUFFIXES = [
    'issement', 'ement', 'ation', 'atrice', 'ateur', 'ance', 'ence', 'euse', 'eur', 'isme',
    'iste', 'ique', 'aire', 'iere', 'ier', 'ite', 'ive', 'elle', 'if', 'el', 'ee', 'er', 'e'
  ];
  var MOTS_VIDES_ANGLAIS = [
    'about', 'after', 'all', 'also', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by',
    'can', 'for', 'from', 'had', 'has', 'have', 'in', 'into', 'is', 'it', 'its', 'not', 'of',
    'on', 'or', 'our', 'so', 'than', 'that', 'the', 'their', 'them', 'they', 'this', 'to', 'was',
    'we', 'were', 'which', 'who', 'will', 'with', 'you'
  ];
  var SUFFIXES_ANGLAIS = [
    'isation', 'ization', 'ational', 'fulness', 'ousness', 'iveness', 'ation', 'ition', 'ement',
    'ment', 'ness', 'able', 'ible', 'ance', 'ence', 'ship', 'hood', 'ally', 'ical', 'ity', 'ive',
    'ise', 'ize', 'ism', 'ist', 'ful', 'ous', 'al', 'er', 'ly', 'e'
  ];
  var RACINE_MIN = 3;
  var SEPARATEUR = /[^\p{Alphabetic}\p{N}]/u;
  // Nombre de cartes affichées d'un coup (puis « Afficher plus »).
  var PAR_LOT = 60;
  var ATTENTE_SAISIE = 80;

  var pli = {};
  PLIS.forEach(function (p) { Array.from(p[1]).forEach(function (c) { pli[c] = p[0]; }); });
  function ensemble(mots) {
    var e = {};
    mots.forEach(function (m) { e[m] = true; });
    return e;
  }

  function plier(texte) {
    var sortie = '';
    for (var c of texte.toLowerCase()) sortie += pli[c] !== undefined ? pli[c] : c;
    return sortie;
  }

  function finit(mot, fin) { return mot.length >= fin.length && mot.slice(-fin.length) === fin; }

  // Retire le premier suffixe de la liste qui laisse au moins RACINE_MIN lettres.
  function sansSuffixe(r, suffixes) {
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (finit(r, s) && r.length - s.length >= RACINE_MIN) return r.slice(0, -s.length);
    }
    return r;
  }

  function raciner(mot) {
    if (mot.length <= RACINE_MIN || !/^[a-z]+$/.test(mot)) return mot;
    var r;
    if (finit(mot, 'eaux')) r = mot.slice(0, -1);
    else if (finit(mot, 'aux') && mot.length > 4) r = mot.slice(0, -3) + 'al';
    else if ((finit(mot, 's') && !finit(mot, 'ss')) || finit(mot, 'x')) r = mot.slice(0, -1);
    else r = mot;
    return sansSuffixe(r, SUFFIXES);
  }

  // Comme stem_english de search.rs : pluriel, puis -ing ou -ed, puis un suffixe.
  function racinerAnglais(mot) {
    if (mot.length <= RACINE_MIN || !/^[a-z]+$/.test(mot)) return mot;
    function garde(m, fin) { return finit(m, fin) && m.length - fin.length >= RACINE_MIN; }
    var r = mot;
    if (garde(r, 'ies')) r = r.slice(0, -3) + 'y';
    else if (finit(r, 'sses')) r = r.slice(0, -2);
    else if (finit(r, 's') && !finit(r, 'ss') && !finit(r, 'us') && !finit(r, 'is')) {
      r = r.slice(0, -1);
    }
    var flechi = false;
    if (garde(r, 'ied')) r = r.slice(0, -3) + 'y';
    else if (garde(r, 'ing')) { r = r.slice(0, -3); flechi = true; }
    else if (garde(r, 'ed') && !finit(r, 'eed')) { r = r.slice(0, -2); flechi = true; }
    if (flechi) {
      var n = r.length;
      if (n > RACINE_MIN && r[n - 1] === r[n - 2] && 'aeioulsz'.indexOf(r[n - 1]) < 0) {
        r = r.slice(0, -1);
      }
    }
    return sansSuffixe(r, SUFFIXES_ANGLAIS);
  }

  function sansRacine(mot) { return mot; }

  // Mots vides et racinisation de chaque langue (comme Analysis::of de search.rs).
  var ANALYSES = {
    fr: { vides: ensemble(MOTS_VIDES), raciner: raciner },
    en: { vides: ensemble(MOTS_VIDES_ANGLAIS), raciner: racinerAnglais }
  };
  var SANS_ANALYSE = { vides: {}, raciner: sansRacine };
  function analyseDe(langue) { return ANALYSES[langue] || SANS_ANALYSE; }
  // Celle de la page, donnée par l'index ; le français tant qu'il n'est pas chargé.
  var analyse = ANALYSES.fr;

  function conserve(mot) { return Array.from(mot).length >= 2 && !analyse.vides[mot]; }

  // Les termes d'un texte ; langue (fr, en…) : celle de la page si elle n'est pas donnée.
  function termes(texte, langue) {
    var a = langue === undefined ? analyse : analyseDe(langue);
    return plier(texte).split(SEPARATEUR).filter(function (mot) {
      return Array.from(mot).length >= 2 && !a.vides[mot];
    }).map(a.raciner);
  }

  // Les termes d'une requête : le dernier mot, en cours de frappe, est cherché comme préfixe.
  function termesRequete(texte) {
    var plie = plier(texte);
    var mots = plie.split(SEPARATEUR);
    var enCours = mots.length > 0 && mots[mots.length - 1] !== '';
    var sortie = [];
    mots.forEach(function (mot, i) {
      if (!conserve(mot)) return;
      sortie.push({ terme: analyse.raciner(mot), prefixe: enCours && i === mots.length - 1 });
    });
    return sortie;
  }

  // Fonctions exposées pour les tests (mêmes listes de mots que les tests de search.rs).
  window.amirisRecherche = {
    plier: plier, raciner: raciner, racinerAnglais: racinerAnglais, termes: termes
  };

  var formulaire = document.getElementById('filtres');
  if (!formulaire || !window.fetch || !window.URLSearchParams) return;
  var racineSite = formulaire.getAttribute('data-racine') || '';
  var listeStatique = document.getElementById('projets');
  var zoneResultats = document.getElementById('resultats');
  var statut = document.getElementById('filtres-statut');
  var champ = document.getElementById('filtres-q');
  var conteneurFacettes = document.getElementById('filtres-facettes');
  var zoneActifs = document.getElementById('filtres-actifs');
  var lienEffacer = document.getElementById('filtres-effacer');

  // Groupes de l'adresse, dans l'ordre où ils y sont écrits.
  var GROUPES = ['secteur', 'territoire', 'stade', 'public', 'annee', 'essaimage'];
  var index = null;
  var racinesTitres = [];
  var racinesResumes = [];
  var postes = [];
  var cases = [];
  var limite = PAR_LOT;
  var langue = 'fr';

  function nombre(n) { return n.toLocaleString(langue); }

  // Le texte `cle` de l'index, sa forme choisie par `n` s'il en a plusieurs, chaque {nom}
  // remplacé par valeurs[nom] ({n} par n écrit dans la langue de la page).
  function texteDe(cle, valeurs, n) {
    var t = index.textes[cle];
    if (t === undefined) return cle;
    if (typeof t !== 'string') t = n === 0 ? t.zero : n > 1 ? t.plusieurs : t.un;
    var v = valeurs || {};
    if (n !== undefined) v.n = nombre(n);
    return t.replace(/\{([a-z_]+)\}/g, function (tout, nom) {
      return v[nom] !== undefined ? String(v[nom]) : tout;
    });
  }

  function decoder(i) {
    if (!postes[i]) {
      var liste = [];
      var precedent = 0;
      index.postes[i].split('.').forEach(function (d) {
        precedent += parseInt(d, 36);
        liste.push(precedent);
      });
      postes[i] = liste;
    }
    return postes[i];
  }

  function premierNonInferieur(cle) {
    var bas = 0;
    var haut = index.termes.length;
    while (bas < haut) {
      var milieu = (bas + haut) >> 1;
      if (index.termes[milieu] < cle) bas = milieu + 1; else haut = milieu;
    }
    return bas;
  }

  // Projets contenant tous les termes (tableau d'octets), ou null sans terme.
  function correspondancesTexte(liste) {
    if (liste.length === 0) return null;
    var n = index.projets.length;
    var total = new Uint8Array(n);
    liste.forEach(function (t, rang) {
      var vus = new Uint8Array(n);
      var i = premierNonInferieur(t.terme);
      if (t.prefixe) {
        for (; i < index.termes.length && index.termes[i].startsWith(t.terme); i++) {
          decoder(i).forEach(function (p) { vus[p] = 1; });
        }
      } else if (index.termes[i] === t.terme) {
        decoder(i).forEach(function (p) { vus[p] = 1; });
      }
      for (var p = 0; p < n; p++) if (vus[p] && total[p] === rang) total[p] = rang + 1;
    });
    var fin = liste.length;
    for (var p = 0; p < n; p++) total[p] = total[p] === fin ? 1 : 0;
    return total;
  }

  // Valeurs d'un projet pour un groupe, sous forme de clés "facette:position".
  function valeurs(projet, groupe) {
    switch (groupe) {
      case 'secteur': return projet.s.map(function (v) { return 'secteur:' + v; });
      case 'territoire':
        return projet.d.map(function (v) { return 'departement:' + v; })
          .concat(projet.e.map(function (v) { return 'epci:' + v; }));
      case 'stade': return ['stade:' + projet.st];
      case 'public': return projet.p.map(function (v) { return 'public:' + v; });
      case 'annee': return ['annee:' + projet.a];
      case 'essaimage': return projet.o ? ['essaimage:0'] : [];
    }
    return [];
  }

  function etatFormulaire() {
    var choisis = {};
    GROUPES.forEach(function (g) { choisis[g] = {}; });
    var nombre = 0;
    cases.forEach(function (c) {
      if (c.element.checked) { choisis[c.groupe][c.cle] = true; nombre++; }
    });
    return { choisis: choisis, nombre: nombre, q: champ.value, termes: termesRequete(champ.value) };
  }

  // Un terme de la requête est-il dans une liste de racines (préfixe pour le mot en cours) ?
  function trouve(t, racines) {
    for (var i = 0; i < racines.length; i++) {
      if (t.prefixe ? racines[i].startsWith(t.terme) : racines[i] === t.terme) return true;
    }
    return false;
  }

  // Pertinence : chaque terme compte 100 dans le titre, sinon 10 dans le résumé, sinon 1
  // (texte de la fiche) ; à égalité, l'ordre de la liste (le plus récent d'abord) reste.
  function classer(retenus, liste) {
    var scores = {};
    retenus.forEach(function (n) {
      var score = 0;
      liste.forEach(function (t) {
        if (trouve(t, racinesTitres[n])) score += 100;
        else if (trouve(t, racinesResumes[n])) score += 10;
        else score += 1;
      });
      scores[n] = score;
    });
    return retenus.slice().sort(function (a, b) { return scores[b] - scores[a] || a - b; });
  }

  function filtrer(etat) {
    var texte = correspondancesTexte(etat.termes);
    var actifs = GROUPES.filter(function (g) { return Object.keys(etat.choisis[g]).length > 0; });
    var comptes = {};
    var retenus = [];
    index.projets.forEach(function (projet, n) {
      if (texte && !texte[n]) return;
      var echecs = [];
      actifs.forEach(function (g) {
        var ok = valeurs(projet, g).some(function (v) { return etat.choisis[g][v]; });
        if (!ok) echecs.push(g);
      });
      if (echecs.length === 0) retenus.push(n);
      if (echecs.length > 1) return;
      // Nombre à côté d'une valeur : les projets retenus si on la cochait en plus.
      GROUPES.forEach(function (g) {
        if (echecs.length === 1 && echecs[0] !== g) return;
        valeurs(projet, g).forEach(function (v) { comptes[v] = (comptes[v] || 0) + 1; });
      });
    });
    if (texte) retenus = classer(retenus, etat.termes);
    return {
      retenus: retenus, comptes: comptes, actif: actifs.length > 0 || texte !== null,
      termes: texte ? etat.termes : []
    };
  }

  function element(nom, classe, texte) {
    var e = document.createElement(nom);
    if (classe) e.className = classe;
    if (texte !== undefined) e.textContent = texte;
    return e;
  }

  // Le texte, en nœuds : les mots dont la racine est un terme de la requête dans <mark>.
  function surligner(texte, liste) {
    var fragment = document.createDocumentFragment();
    var mot = /[\p{Alphabetic}\p{N}]+/gu;
    var fin = 0;
    var m;
    while ((m = mot.exec(texte)) !== null) {
      var racines = termes(m[0]);
      if (racines.length && liste.some(function (t) { return trouve(t, racines); })) {
        if (m.index > fin) fragment.appendChild(document.createTextNode(texte.slice(fin, m.index)));
        fragment.appendChild(element('mark', '', m[0]));
        fin = m.index + m[0].length;
      }
    }
    if (fin < texte.length) fragment.appendChild(document.createTextNode(texte.slice(fin)));
    return fragment;
  }

  function carte(projet, n, liste) {
    var f = index.facettes;
    var article = element('article', 'carte');
    if (projet.i) {
      var image = element('img', 'carte-image');
      image.src = racineSite + projet.i;
      image.alt = '';
      image.loading = 'lazy';
      article.appendChild(image);
    }
    var titre = element('h2', 'carte-titre');
    var lien = element('a', '');
    lien.appendChild(surligner(projet.t, liste));
    lien.href = racineSite + 'projets/' + projet.u + '/';
    titre.appendChild(lien);
    article.appendChild(titre);
    var resume = element('p', 'carte-resume');
    resume.appendChild(surligner(projet.r, liste));
    article.appendChild(resume);
    // Les mots trouvés seulement dans le texte de la fiche (absent de l'index) sont nommés.
    var ailleurs = liste.filter(function (t) {
      return !trouve(t, racinesTitres[n]) && !trouve(t, racinesResumes[n]);
    });
    if (ailleurs.length) {
      var mots = champ.value.split(SEPARATEUR).filter(function (mot) {
        var r = termes(mot);
        return r.length && ailleurs.some(function (t) { return trouve(t, r); });
      });
      // Le texte autour de {mots}, les mots dans <mark>.
      var morceaux = texteDe('recherche_aussi_dans_le_texte').split('{mots}');
      var trouveDans = element('p', 'carte-trouve', morceaux[0]);
      trouveDans.appendChild(element('mark', '', mots.join(', ')));
      if (morceaux.length > 1 && morceaux[1]) {
        trouveDans.appendChild(document.createTextNode(morceaux[1]));
      }
      article.appendChild(trouveDans);
    }
    var infos = element('ul', 'carte-infos');
    var annee = f.annee[projet.a].nom;
    infos.appendChild(element('li', '', texteDe('labellise_en', { annee: annee })));
    infos.appendChild(element('li', '', f.stade[projet.st].nom));
    if (projet.d.length) {
      infos.appendChild(element('li', '', projet.d.map(function (d) {
        return f.departement[d].nom;
      }).join(', ')));
    }
    article.appendChild(infos);
    var etiquettes = element('ul', 'etiquettes');
    etiquettes.setAttribute('aria-label', texteDe('secteurs'));
    projet.s.forEach(function (s) {
      var li = element('li');
      var a = element('a', '', f.secteur[s].nom);
      a.href = racineSite + f.secteur[s].chemin;
      li.appendChild(a);
      etiquettes.appendChild(li);
    });
    article.appendChild(etiquettes);
    return article;
  }

  function afficher(resultat) {
    cases.forEach(function (c) {
      var n = resultat.comptes[c.cle] || 0;
      c.compte.textContent = '(' + nombre(n) + ')';
      c.compte.setAttribute('data-nombre', String(n));
      c.ligne.classList.toggle('filtres-nul', n === 0 && !c.element.checked);
    });
    var message;
    var total = index.projets.length;
    if (!resultat.actif) {
      zoneResultats.hidden = true;
      zoneResultats.textContent = '';
      listeStatique.hidden = false;
      message = texteDe('catalogue_statut', {}, total);
    } else {
      listeStatique.hidden = true;
      zoneResultats.hidden = false;
      zoneResultats.textContent = '';
      var n = resultat.retenus.length;
      if (n === 0) {
        message = texteDe('recherche_aucun');
        zoneResultats.appendChild(element('p', 'vide', message));
      } else {
        message = texteDe(resultat.termes.length ? 'recherche_resultats_pertinents'
          : 'recherche_resultats_recents', { total: nombre(total) }, n);
        var grille = element('div', 'grille-cartes');
        resultat.retenus.slice(0, limite).forEach(function (p) {
          grille.appendChild(carte(index.projets[p], p, resultat.termes));
        });
        zoneResultats.appendChild(grille);
        if (n > limite) {
          var plus = element('button', 'bouton filtres-plus', texteDe('recherche_afficher_plus', {
            n: nombre(Math.min(PAR_LOT, n - limite)), reste: nombre(n - limite)
          }));
          plus.type = 'button';
          plus.addEventListener('click', function () {
            var premier = limite;
            limite += PAR_LOT;
            appliquer(false);
            var lienSuivant = zoneResultats.querySelectorAll('.carte-titre a')[premier];
            if (lienSuivant) lienSuivant.focus();
          });
          zoneResultats.appendChild(plus);
        }
      }
    }
    if (statut.textContent !== message) statut.textContent = message;
    puces();
  }

  // Les filtres actifs, chacun un bouton qui le retire ; le nombre de choix sur chaque groupe.
  function puces() {
    zoneActifs.textContent = '';
    var choisisParGroupe = {};
    function puce(libelle, retirer) {
      var li = element('li');
      var bouton = element('button', 'filtre-actif');
      bouton.type = 'button';
      bouton.appendChild(element('span', '', libelle));
      var croix = element('span', 'filtre-actif-croix', '×');
      croix.setAttribute('aria-hidden', 'true');
      bouton.appendChild(croix);
      bouton.setAttribute('aria-label', texteDe('recherche_retirer_filtre', { filtre: libelle }));
      bouton.addEventListener('click', function () {
        var rang = Array.prototype.indexOf.call(zoneActifs.children, li);
        retirer();
        appliquer(true);
        var suivant = zoneActifs.querySelectorAll('button')[rang] ||
          zoneActifs.querySelectorAll('button')[rang - 1];
        (suivant || champ).focus();
      });
      li.appendChild(bouton);
      zoneActifs.appendChild(li);
    }
    if (champ.value.trim() !== '') {
      puce(texteDe('recherche_puce_requete', { q: champ.value.trim() }), function () {
        champ.value = '';
      });
    }
    cases.forEach(function (c) {
      if (!c.element.checked) return;
      choisisParGroupe[c.facette] = (choisisParGroupe[c.facette] || 0) + 1;
      puce(texteDe('recherche_puce_filtre', { groupe: c.titre, valeur: c.nom }), function () {
        c.element.checked = false;
      });
    });
    lienEffacer.hidden = zoneActifs.children.length === 0;
    Array.prototype.forEach.call(conteneurFacettes.querySelectorAll('.filtres-choisis'), function (s) {
      var n = choisisParGroupe[s.getAttribute('data-groupe')] || 0;
      s.textContent = n ? ' ' + texteDe('recherche_choisis', {}, n) : '';
    });
  }

  function adresse(etat) {
    var params = new URLSearchParams();
    GROUPES.forEach(function (g) {
      cases.forEach(function (c) {
        if (c.groupe === g && c.element.checked) params.append(g, c.element.value);
      });
    });
    if (etat.q.trim() !== '') params.append('q', etat.q);
    var requete = params.toString();
    return location.pathname + (requete ? '?' + requete : '') + location.hash;
  }

  // Applique l'état du formulaire : liste, nombres, adresse. Renvoie la durée en ms.
  function appliquer(nouvelleRecherche) {
    var debut = performance.now();
    if (nouvelleRecherche) limite = PAR_LOT;
    var etat = etatFormulaire();
    afficher(filtrer(etat));
    var cible = adresse(etat);
    if (cible !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, '', cible);
    }
    var duree = performance.now() - debut;
    formulaire.setAttribute('data-duree', duree.toFixed(2));
    return duree;
  }

  // Remplit le groupe replié de la page (details[data-facette]) ; un groupe sans valeur est
  // masqué.
  function facette(titre, groupe, facetteNom, classe) {
    var valeursFacette = index.facettes[facetteNom];
    var ensemble = conteneurFacettes.querySelector('details[data-facette="' + facetteNom + '"]');
    if (!ensemble) return;
    if (!valeursFacette.length) { ensemble.hidden = true; return; }
    if (classe) ensemble.classList.add(classe);
    var liste = ensemble.querySelector('.filtres-valeurs');
    liste.textContent = '';
    valeursFacette.forEach(function (v, i) {
      var id = 'filtre-' + facetteNom + '-' + i;
      var ligne = element('li');
      var boite = element('input');
      boite.type = 'checkbox';
      boite.id = id;
      boite.name = groupe;
      boite.value = v.cle;
      var etiquette = element('label', '', v.nom + ' ');
      etiquette.htmlFor = id;
      var compte = element('span', 'filtres-compte');
      etiquette.appendChild(compte);
      ligne.appendChild(boite);
      ligne.appendChild(etiquette);
      liste.appendChild(ligne);
      cases.push({
        element: boite, groupe: groupe, cle: facetteNom + ':' + i, compte: compte, ligne: ligne,
        facette: facetteNom, titre: titre, nom: v.nom
      });
    });
  }

  function construire() {
    facette(texteDe('facette_secteur'), 'secteur', 'secteur');
    facette(texteDe('facette_departement'), 'territoire', 'departement');
    facette(texteDe('facette_epci'), 'territoire', 'epci', 'filtres-long');
    facette(texteDe('facette_stade'), 'stade', 'stade');
    facette(texteDe('facette_public'), 'public', 'public');
    facette(texteDe('facette_annee'), 'annee', 'annee');
    index.facettes.essaimage = [{ cle: 'ouvert', nom: texteDe('recherche_ouvert_essaimage') }];
    facette(texteDe('facette_essaimage'), 'essaimage', 'essaimage');
  }

  function lireAdresse() {
    var params = new URLSearchParams(location.search);
    cases.forEach(function (c) {
      c.element.checked = params.getAll(c.groupe).indexOf(c.element.value) >= 0;
    });
    champ.value = params.get('q') || '';
  }

  function demarrer(donnees) {
    if (!donnees || donnees.version !== 2) return;
    index = donnees;
    langue = index.langue || 'fr';
    analyse = analyseDe(langue);
    index.projets.forEach(function (projet, n) {
      racinesTitres[n] = termes(projet.t);
      racinesResumes[n] = termes(projet.r);
    });
    construire();
    lireAdresse();
    var attente = null;
    champ.addEventListener('input', function () {
      clearTimeout(attente);
      attente = setTimeout(function () { appliquer(true); }, ATTENTE_SAISIE);
    });
    conteneurFacettes.addEventListener('change', function () { appliquer(true); });
    formulaire.addEventListener('submit', function (e) {
      e.preventDefault();
      clearTimeout(attente);
      appliquer(true);
    });
    lienEffacer.addEventListener('click', function (e) {
      e.preventDefault();
      cases.forEach(function (c) { c.element.checked = false; });
      champ.value = '';
      appliquer(true);
      champ.focus();
    });
    window.addEventListener('popstate', function () { lireAdresse(); appliquer(true); });
    window.amirisRecherche.appliquer = appliquer;
    appliquer(true);
    formulaire.setAttribute('data-pret', '');
  }

  fetch(formulaire.getAttribute('data-index'), { credentials: 'same-origin' })
    .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .then(demarrer)
    .catch(function () {
      var erreur = formulaire.getAttribute('data-erreur');
      if (erreur) statut.textContent = erreur;
    });
})();
