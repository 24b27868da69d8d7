//! The front-matter fields of a project file, specified once.
//!
//! Like ripgrep's list of flags, from which help, man page and completions are derived, this
//! list is the one place that says, for each field: its path, its shape, whether it is
//! required, its length bounds, its French title and help text, its spreadsheet and open-data
//! column. The validator (allowed keys, value shapes, length bounds, presence), the JSON Schema
//! (lengths, keys, required lists, titles and descriptions), the `amiris new` template
//! (comments), the import columns, the
//! open-data columns and the field table of docs/format.md are derived from it (a test in each
//! checks that every field is there). Rules that need reference tables (territory, SIRET
//! check digit, postal code) stay hand-written in the validator.

use crate::model::{LegalForm, PartnerRole, Scope, Stage};

/// The shape of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Free text.
    Text,
    /// A code written between quotes (`"59400"`).
    Code,
    /// A whole number.
    Integer,
    /// A score (a number of the site's scale, or `null`).
    Score,
    /// `true` or `false`.
    Boolean,
    /// A date `AAAA-MM-JJ`.
    Date,
    /// A full web address.
    Url,
    /// An email address.
    Email,
    /// A path under `content/medias/`.
    Path,
    /// One key of a closed list.
    Choice(&'static [&'static str]),
    /// A list of keys of a vocabulary of site.yaml.
    Keys,
    /// A list of codes between quotes.
    Codes,
    /// A block of fields.
    Block,
    /// A list of blocks.
    Blocks,
}

/// One field of the front matter.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Dotted path; `[]` marks the items of a list of blocks (`partenaires[].nom`), `<clé>`
    /// the twelve markers.
    pub path: &'static str,
    /// Shape of the value.
    pub shape: Shape,
    /// Whether a project must fill it in (inside its block, when the block is given).
    pub required: bool,
    /// How docs/format.md says whether it is required, when more than "oui" or "non".
    pub required_text: Option<&'static str>,
    /// Fewest and most characters of a text.
    pub length: Option<(usize, usize)>,
    /// Short French title (the spreadsheet and open-data column title).
    pub title: &'static str,
    /// French help text: what to write (template comment, schema and open-data description).
    pub help: &'static str,
    /// Type, as docs/format.md names it.
    pub kind_text: &'static str,
    /// Allowed values, as docs/format.md says them.
    pub allowed_text: &'static str,
    /// An example value, as written in a project file.
    pub example: &'static str,
    /// Name of the spreadsheet (import) and open-data column, if the field has one.
    pub column: Option<&'static str>,
    /// Whether the published open data has this column (drafts and images are not published
    /// as data).
    pub open_data: bool,
    /// Regular expression every value matches (open-data Table Schema), if any.
    pub pattern: Option<&'static str>,
}

impl Field {
    /// A field with the commonest settings; the table below sets the rest.
    const fn new(
        path: &'static str,
        shape: Shape,
        title: &'static str,
        help: &'static str,
    ) -> Field {
        Field {
            path,
            shape,
            required: false,
            required_text: None,
            length: None,
            title,
            help,
            kind_text: "",
            allowed_text: "",
            example: "",
            column: None,
            open_data: false,
            pattern: None,
        }
    }

    const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    const fn required_as(mut self, text: &'static str) -> Field {
        self.required_text = Some(text);
        self
    }

    const fn length(mut self, min: usize, max: usize) -> Field {
        self.length = Some((min, max));
        self
    }

    const fn doc(
        mut self,
        kind_text: &'static str,
        allowed_text: &'static str,
        example: &'static str,
    ) -> Field {
        self.kind_text = kind_text;
        self.allowed_text = allowed_text;
        self.example = example;
        self
    }

    /// A spreadsheet column that the open data publishes too.
    const fn column(mut self, name: &'static str) -> Field {
        self.column = Some(name);
        self.open_data = true;
        self
    }

    /// A spreadsheet column that the open data does not publish.
    const fn import_only(mut self, name: &'static str) -> Field {
        self.column = Some(name);
        self
    }

    const fn pattern(mut self, pattern: &'static str) -> Field {
        self.pattern = Some(pattern);
        self
    }

    /// The key of the field inside its block (`siret` for `structure.siret`).
    pub fn key(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    /// The path of the block that holds the field (`partenaires[]`, or empty at the top).
    pub fn parent(&self) -> &'static str {
        self.path.rsplit_once('.').map_or("", |(parent, _)| parent)
    }

    /// Whether every published project has a value: required, and so is every block above
    /// it (a list of blocks may be empty).
    pub fn always_present(&self) -> bool {
        let mut field = self;
        loop {
            if !field.required || field.path.contains("[]") {
                return false;
            }
            match self::field(field.parent()) {
                Some(parent) if !field.parent().is_empty() => field = parent,
                _ => return true,
            }
        }
    }

    /// The field's French description for editors (JSON Schema hover text): its help, whether
    /// it is required, what is allowed and an example, as docs/format.md's table says them
    /// (without Markdown marks).
    pub fn description(&self) -> String {
        let presence = match (self.required, self.required_text) {
            (_, Some(text)) => format!("Obligatoire{}", text.strip_prefix("oui").unwrap_or(text)),
            (true, None) => "Obligatoire".to_string(),
            (false, None) => "Facultatif".to_string(),
        };
        let mut text = format!("{} {}.", self.help, plain(&presence));
        match self.shape {
            // A block lists its fields (each has its own description).
            Shape::Block | Shape::Blocks => {
                let keys = match self.path {
                    "marqueurs" => crate::model::MARKER_KEYS.to_vec(),
                    "partenaires" => keys_of("partenaires[]"),
                    path => keys_of(path),
                };
                let of = if self.shape == Shape::Blocks {
                    " de chacun"
                } else {
                    ""
                };
                text.push_str(&format!(" Champs{of} : {}.", keys.join(", ")));
            }
            // Values written as code (`emergence`, `true`) keep their case after « Valeurs : ».
            _ if self.allowed_text.starts_with('`') => {
                text.push_str(&format!(" Valeurs : {}.", plain(self.allowed_text)));
            }
            _ => {
                let allowed = plain(self.allowed_text);
                let mut letters = allowed.chars();
                if let Some(first) = letters.next() {
                    text.push_str(&format!(" {}{}.", first.to_uppercase(), letters.as_str()));
                }
            }
        }
        if !self.example.is_empty() {
            text.push_str(&format!(" Exemple : {}.", plain(self.example)));
        }
        text
    }

    /// Whether a list cell or list value (open data: several values joined).
    pub fn is_list(&self) -> bool {
        matches!(self.shape, Shape::Keys | Shape::Codes) || self.path.contains("[]")
    }
}

/// Every field of a project file's front matter, in the order of the template and the docs.
pub const FIELDS: &[Field] = &[
    Field::new("titre", Shape::Text, "Titre", "Nom du projet.")
        .required()
        .length(3, 150)
        .doc(
            "texte",
            "3 à 150 caractères",
            "`\"Le Panier solidaire du Cambrésis\"`",
        )
        .column("titre"),
    Field::new(
        "resume",
        Shape::Text,
        "Résumé",
        "Le projet en une phrase (300 caractères au plus).",
    )
    .required()
    .length(1, 300)
    .doc(
        "texte",
        "1 à 300 caractères (une ou deux phrases)",
        "`\"Une épicerie solidaire itinérante…\"`",
    )
    .column("resume"),
    Field::new("label", Shape::Block, "Label", "Le label AMIRIS du projet.")
        .required()
        .doc("bloc", "`annee`, `date`", ""),
    Field::new(
        "label.annee",
        Shape::Integer,
        "Année du label",
        "Année d'obtention du label AMIRIS.",
    )
    .required()
    .doc("nombre entier", "de 2010 à l'année prochaine", "`2017`")
    .column("label_annee"),
    Field::new(
        "label.date",
        Shape::Date,
        "Date de décision",
        "Date de la décision du comité de labellisation, si elle est connue.",
    )
    .doc(
        "date",
        "date réelle au format AAAA-MM-JJ (date du comité)",
        "`2017-06-15`",
    )
    .column("label_date"),
    Field::new(
        "secteurs",
        Shape::Keys,
        "Secteurs (clés)",
        "Clés des secteurs du projet (1 à 3), dans l'ordre donné par l'auteur.",
    )
    .required()
    .doc(
        "liste de clés",
        "1 à 3 clés de `secteurs` de site.yaml, sans doublon",
        "`[alimentation, lien-social]`",
    )
    .column("secteurs"),
    Field::new(
        "territoire",
        Shape::Block,
        "Territoire",
        "Où le projet agit : communes ou départements (ou les deux).",
    )
    .required()
    .doc("bloc", "`communes` et/ou `departements`, `echelle`", ""),
    Field::new(
        "territoire.communes",
        Shape::Codes,
        "Communes (codes INSEE)",
        "Codes INSEE (COG) des communes où le projet agit.",
    )
    .required_as("oui, sauf si `departements` est donné")
    .doc(
        "liste de codes entre guillemets",
        "codes INSEE (5 caractères) de communes actuelles de la région",
        "`[\"59122\", \"59178\"]`",
    )
    .column("communes"),
    Field::new(
        "territoire.departements",
        Shape::Codes,
        "Départements (codes)",
        "Codes des départements où le projet agit (donnés ou déduits des communes).",
    )
    .required_as("oui, sauf si `communes` est donné")
    .doc(
        "liste de codes entre guillemets",
        "`\"02\"` Aisne, `\"59\"` Nord, `\"60\"` Oise, `\"62\"` Pas-de-Calais, `\"80\"` Somme",
        "`[\"59\", \"62\"]`",
    )
    .column("departements"),
    Field::new(
        "territoire.echelle",
        Shape::Choice(Scope::KEYS),
        "Échelle d'action",
        "Échelle à laquelle le projet agit : locale, intercommunale, departementale ou regionale.",
    )
    .doc(
        "mot-clé",
        "`locale`, `intercommunale`, `departementale`, `regionale`",
        "`locale`",
    )
    .column("echelle"),
    Field::new(
        "stade",
        Shape::Choice(Stage::KEYS),
        "Stade",
        "Stade de développement : emergence (Émergence), experimentation (Expérimentation), \
         developpement (Développement) ou essaimage (Essaimage).",
    )
    .required()
    .doc(
        "mot-clé",
        "`emergence`, `experimentation`, `developpement`, `essaimage`",
        "`experimentation`",
    )
    .column("stade"),
    Field::new(
        "publics",
        Shape::Keys,
        "Publics (clés)",
        "Clés des publics visés.",
    )
    .doc(
        "liste de clés",
        "clés de `publics` de site.yaml, sans doublon",
        "`[seniors, jeunes]`",
    )
    .column("publics"),
    Field::new(
        "structure",
        Shape::Block,
        "Structure porteuse",
        "La structure qui porte le projet.",
    )
    .required()
    .doc("bloc", "la structure porteuse", ""),
    Field::new(
        "structure.nom",
        Shape::Text,
        "Structure porteuse",
        "Nom de la structure qui porte le projet.",
    )
    .required()
    .length(2, 200)
    .doc(
        "texte",
        "2 à 200 caractères",
        "`\"Association Le Panier solidaire\"`",
    )
    .column("structure_nom"),
    Field::new(
        "structure.forme_juridique",
        Shape::Choice(LegalForm::KEYS),
        "Forme juridique",
        "Forme juridique de la structure porteuse (clé).",
    )
    .required()
    .doc(
        "mot-clé",
        "`association`, `fondation`, `scop`, `scic`, `sas`, `sasu`, `sarl`, `sa`, \
         `cooperative`, `autre`",
        "`association`",
    )
    .column("structure_forme_juridique"),
    Field::new(
        "structure.siret",
        Shape::Code,
        "SIRET",
        "Numéro SIRET de l'établissement porteur (14 chiffres, sans espace).",
    )
    .doc(
        "code entre guillemets",
        "14 chiffres, sans espace, clé de contrôle juste",
        "`\"44306184100047\"`",
    )
    .column("structure_siret")
    .pattern("^[0-9]{14}$"),
    Field::new(
        "structure.code_postal",
        Shape::Code,
        "Code postal du siège",
        "Code postal du siège social (5 chiffres).",
    )
    .required()
    .doc(
        "code entre guillemets",
        "code postal d'une commune des Hauts-de-France (siège social)",
        "`\"59400\"`",
    )
    .column("structure_code_postal")
    .pattern("^[0-9]{5}$"),
    Field::new(
        "structure.commune",
        Shape::Text,
        "Commune du siège",
        "Commune du siège social.",
    )
    .required()
    .length(1, 100)
    .doc(
        "texte",
        "1 à 100 caractères ; commune du siège",
        "`\"Cambrai\"`",
    )
    .column("structure_commune"),
    Field::new(
        "structure.site_web",
        Shape::Url,
        "Site web",
        "Site web de la structure porteuse.",
    )
    .doc(
        "adresse web",
        "adresse complète commençant par `https://` (`http://` accepté)",
        "`\"https://panier.example.org\"`",
    )
    .column("structure_site_web"),
    Field::new(
        "structure.esus",
        Shape::Boolean,
        "Agrément ESUS",
        "Agrément « entreprise solidaire d'utilité sociale » de la structure porteuse.",
    )
    .doc(
        "oui/non",
        "`true` ou `false` (agrément « entreprise solidaire d'utilité sociale »)",
        "`true`",
    )
    .column("structure_esus"),
    Field::new(
        "partenaires",
        Shape::Blocks,
        "Partenaires",
        "Les partenaires du projet, un bloc par partenaire.",
    )
    .doc(
        "liste de blocs",
        "chaque partenaire a un `nom` et un `role`",
        "",
    ),
    Field::new(
        "partenaires[].nom",
        Shape::Text,
        "Partenaires",
        "Noms des partenaires.",
    )
    .required()
    .required_as("oui (par partenaire)")
    .length(2, 200)
    .doc("texte", "2 à 200 caractères", "`\"CCAS de Cambrai\"`")
    .column("partenaires"),
    Field::new(
        "partenaires[].role",
        Shape::Choice(PartnerRole::KEYS),
        "Rôles des partenaires",
        "Rôle de chaque partenaire : beneficiaires, collectivite, recherche, entreprise, \
         association, financeur ou autre.",
    )
    .required()
    .required_as("oui (par partenaire)")
    .doc(
        "mot-clé",
        "`beneficiaires`, `collectivite`, `recherche`, `entreprise`, `association`, \
         `financeur`, `autre`",
        "`collectivite`",
    )
    .column("partenaires_roles"),
    Field::new(
        "marqueurs",
        Shape::Block,
        "Marqueurs",
        "Les douze marqueurs d'innovation sociale de l'Institut Godin.",
    )
    .required()
    .doc("bloc", "les **douze** clés, voir section 5", ""),
    Field::new(
        "marqueurs.<clé>",
        Shape::Score,
        "Marqueur",
        "Note du marqueur sur l'échelle du site ; null si non évalué.",
    )
    .required()
    .required_as("oui (les douze)")
    .doc(
        "nombre ou `null`",
        "une note de l'échelle du site, ou `null` si non évalué",
        "`2.5`",
    ),
    Field::new(
        "essaimage",
        Shape::Block,
        "Essaimage",
        "La diffusion de la pratique.",
    )
    .doc("bloc", "diffusion de la pratique", ""),
    Field::new(
        "essaimage.ouvert",
        Shape::Boolean,
        "Ouvert à l'essaimage",
        "La structure accueille la reproduction du projet ailleurs.",
    )
    .doc(
        "oui/non",
        "`true` si le porteur accueille volontiers la reproduction ailleurs ; `false` par défaut",
        "`true`",
    )
    .column("essaimage_ouvert"),
    Field::new(
        "essaimage.territoires",
        Shape::Codes,
        "Essaimé dans",
        "Codes des départements (partout en France) où le projet a déjà été reproduit.",
    )
    .doc(
        "liste de codes entre guillemets",
        "codes de départements **de toute la France** où le projet a déjà été reproduit",
        "`[\"80\", \"2A\", \"974\"]`",
    )
    .column("essaimage_territoires"),
    Field::new("image", Shape::Block, "Image", "Une image du projet.").doc(
        "bloc",
        "`src` et `alt`, tous deux obligatoires si `image` est présent",
        "",
    ),
    Field::new(
        "image.src",
        Shape::Path,
        "Image",
        "Chemin d'une image placée dans content/medias/, par exemple medias/photo.jpg.",
    )
    .required()
    .required_as("oui (si image)")
    .doc(
        "chemin",
        "fichier présent dans `content/medias/`, écrit à partir de `medias/`",
        "`medias/panier.jpg`",
    )
    .import_only("image_src"),
    Field::new(
        "image.alt",
        Shape::Text,
        "Description de l'image",
        "Ce que montre l'image, en quelques mots (texte pour qui ne la voit pas).",
    )
    .required()
    .required_as("oui (si image)")
    .doc(
        "texte",
        "description non vide de l'image",
        "`\"Le camion sur la place du village\"`",
    )
    .import_only("image_alt"),
    Field::new(
        "contact",
        Shape::Block,
        "Contact",
        "Le contact de la structure.",
    )
    .doc(
        "bloc",
        "contact de la structure uniquement, jamais de données personnelles",
        "",
    ),
    Field::new(
        "contact.email",
        Shape::Email,
        "Courriel de contact",
        "Adresse de contact de la structure (jamais une adresse personnelle).",
    )
    .doc(
        "adresse électronique",
        "forme `nom@domaine.fr`",
        "`\"contact@panier.example.org\"`",
    )
    .column("contact_email"),
    Field::new(
        "mis_a_jour",
        Shape::Date,
        "Mise à jour",
        "Date de la dernière mise à jour éditoriale de la fiche.",
    )
    .doc(
        "date",
        "AAAA-MM-JJ : dernière mise à jour éditoriale (flux, plan du site)",
        "`2024-03-12`",
    )
    .column("mis_a_jour"),
    Field::new(
        "brouillon",
        Shape::Boolean,
        "Brouillon",
        "true pour garder la fiche hors du site.",
    )
    .doc(
        "oui/non",
        "`true` pour ne pas publier la fiche ; `false` par défaut",
        "`false`",
    )
    .import_only("brouillon"),
];

/// Text without the Markdown marks of docs/format.md (`` ` `` and `**`).
fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

/// The field at `path`; list indexes are ignored (`partenaires[1].nom` is `partenaires[].nom`)
/// and any marker key names `marqueurs.<clé>`.
pub fn field(path: &str) -> Option<&'static Field> {
    let mut normalised = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                normalised.push('[');
            }
            ']' => {
                in_index = false;
                normalised.push(']');
            }
            _ if in_index => {}
            c => normalised.push(c),
        }
    }
    if normalised.starts_with("marqueurs.") {
        normalised = "marqueurs.<clé>".into();
    }
    FIELDS.iter().find(|f| f.path == normalised)
}

/// The keys a block may hold (`""` for the top of the front matter, `partenaires[]` for a
/// partner). The markers' keys are the twelve [`MARKER_KEYS`](crate::model::MARKER_KEYS).
pub fn keys_of(block: &str) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|f| f.parent() == block)
        .map(Field::key)
        .collect()
}

/// The required keys of a block (see [`keys_of`] for the block path).
pub fn required_of(block: &str) -> Vec<&'static str> {
    FIELDS
        .iter()
        .filter(|f| f.parent() == block && f.required)
        .map(Field::key)
        .collect()
}

/// Whether the field at `path` must be filled in (see [`field`] for the path).
pub fn is_required(path: &str) -> bool {
    field(path).is_some_and(|f| f.required)
}

/// Length bounds of a text field (see [`field`] for the path).
pub fn length(path: &str) -> Option<(usize, usize)> {
    field(path).and_then(|f| f.length)
}

/// The field with the spreadsheet or open-data column `name`.
pub fn by_column(name: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.column == Some(name))
}

/// The field table of docs/format.md (section « Les champs d'une fiche projet »).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| champ | obligatoire ? | type | valeurs permises | exemple |\n|---|---|---|---|---|\n",
    );
    for f in FIELDS {
        let required = f
            .required_text
            .unwrap_or(if f.required { "oui" } else { "non" });
        let example = if f.example.is_empty() {
            String::new()
        } else {
            format!("{} ", f.example)
        };
        out.push_str(&format!(
            "| `{}` | {required} | {} | {} | {example}|\n",
            f.path, f.kind_text, f.allowed_text
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique_and_every_parent_is_a_block() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[..i].iter().all(|g| g.path != f.path),
                "{} twice",
                f.path
            );
            let parent = f.parent().trim_end_matches("[]");
            if !parent.is_empty() {
                let block = field(parent).unwrap_or_else(|| panic!("no block {parent}"));
                assert!(
                    matches!(block.shape, Shape::Block | Shape::Blocks),
                    "{parent}"
                );
            }
        }
    }

    #[test]
    fn fields_are_found_by_any_concrete_path() {
        assert_eq!(
            field("partenaires[3].nom").map(|f| f.path),
            Some("partenaires[].nom")
        );
        assert_eq!(
            field("marqueurs.gouvernance").map(|f| f.path),
            Some("marqueurs.<clé>")
        );
        assert_eq!(length("titre"), Some((3, 150)));
        assert!(is_required("structure.code_postal"));
        assert!(!is_required("structure.siret"));
        assert_eq!(
            keys_of("structure"),
            [
                "nom",
                "forme_juridique",
                "siret",
                "code_postal",
                "commune",
                "site_web",
                "esus"
            ]
        );
    }

    #[test]
    fn descriptions_say_help_presence_values_and_example() {
        let field = |path| field(path).expect(path).description();
        assert_eq!(
            field("titre"),
            "Nom du projet. Obligatoire. 3 à 150 caractères. Exemple : \"Le Panier solidaire du \
             Cambrésis\"."
        );
        assert_eq!(
            field("territoire.communes"),
            "Codes INSEE (COG) des communes où le projet agit. Obligatoire, sauf si departements \
             est donné. Codes INSEE (5 caractères) de communes actuelles de la région. Exemple : \
             [\"59122\", \"59178\"]."
        );
        assert!(field("structure.siret").contains(" Facultatif. 14 chiffres"));
        assert!(field("stade").contains(
            " Obligatoire. Valeurs : emergence, experimentation, developpement, essaimage. \
             Exemple : experimentation."
        ));
        assert!(field("image.alt").contains(" Obligatoire (si image)."));
        assert_eq!(
            field("partenaires"),
            "Les partenaires du projet, un bloc par partenaire. Facultatif. Champs de chacun : \
             nom, role."
        );
        assert!(field("marqueurs").ends_with(
            " Champs : contextualisation, beneficiaires, \
             nature_collectif, intervention_collectif, recherche, ancrage_territorial, \
             gouvernance, ressources, accessibilite, service, rupture, changement_social."
        ));
    }

    #[test]
    fn the_docs_field_table_is_the_specification() {
        let docs = include_str!("../docs/format.md");
        assert!(
            docs.contains(&markdown_table()),
            "docs/format.md must hold this table:\n{}",
            markdown_table()
        );
    }
}
