//! Validate stage: site.yaml, every project and page, cross-file rules; all problems at once.

pub mod fields;
pub mod project;
pub mod rules;
mod site;
pub mod translation;

use crate::content::{LoadedContent, SourceFile, split_front_matter};
use crate::diagnostic::{self, Diagnostic};
use crate::model::{Page, PageTranslation, Project, ProjectTranslation, Site};
use crate::text::is_slug;
use crate::yaml::{self, Node, Pos};
use fields::Checker;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

pub use site::{default_site, validate_page, validate_site, validate_site_with_medias};

pub use crate::routes::{RESERVED_PAGE_SLUGS, RESERVED_PROJECT_SLUGS};

/// The validated content, with every diagnostic of every file.
#[derive(Debug)]
pub struct Validated {
    /// Site settings (defaults where site.yaml had errors).
    pub site: Site,
    /// Projects without errors, in file order (drafts included).
    pub projects: Vec<Project>,
    /// Free pages without errors, in file order (drafts included).
    pub pages: Vec<Page>,
    /// Translations of projects without errors (`<slug>.<code>.md`), in file order.
    pub project_translations: Vec<ProjectTranslation>,
    /// Translations of free pages without errors, in file order.
    pub page_translations: Vec<PageTranslation>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Validated {
    /// Whether any diagnostic is an error (the build must not write anything).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Adds diagnostics found by a later check (links), keeping the order by file and position.
    pub fn add_diagnostics(&mut self, found: Vec<Diagnostic>) {
        if !found.is_empty() {
            self.diagnostics.extend(found);
            diagnostic::sort(&mut self.diagnostics);
        }
    }
}

/// What one validation leaves for the next so that only the project files that changed are
/// checked again (`serve` keeps one between rebuilds; a build starts without).
#[derive(Debug, Default)]
pub struct Memo {
    /// Hash of what a project's check reads besides its own file: site.yaml, the medias, the
    /// year.
    context: u64,
    /// By project file path: the hash of its text, the project (when its check gave one) and
    /// the check's diagnostics.
    projects: foldhash::HashMap<String, (u64, Option<Project>, Vec<Diagnostic>)>,
    /// The links of each file's body, for the link check that follows validation.
    pub(crate) links: crate::links::Memo,
    /// The texts of the files, for the load that precedes it.
    pub(crate) files: crate::content::Memo,
}

/// One project file's check.
struct CheckedProject {
    /// Hash of the file's text (when a memo is kept).
    text_hash: Option<u64>,
    /// The project its front matter describes, when it could be read.
    project: Option<Project>,
    /// Problems with the file's name.
    name: Vec<Diagnostic>,
    /// Problems with its text.
    own: Vec<Diagnostic>,
    /// Whether `project` and `own` were taken from the memo.
    reused: bool,
}

/// A hash of `value` that is the same in every run (foldhash with a fixed seed).
pub(crate) fn stable_hash(value: impl Hash) -> u64 {
    foldhash::quality::FixedState::with_seed(0).hash_one(value)
}

/// The hash of everything a project's check reads besides its own file.
fn context_hash(content: &LoadedContent, medias: &crate::media::Medias, current_year: u16) -> u64 {
    let sizes: Vec<(&str, Option<(u32, u32)>)> = medias
        .iter()
        .map(|(path, size)| (path.as_str(), size.map(|s| (s.width, s.height))))
        .collect();
    stable_hash((content.site.as_ref().map(|f| &*f.text), sizes, current_year))
}

/// Validates everything that was loaded; `current_year` bounds the label year.
pub fn validate(content: &LoadedContent, current_year: u16) -> Validated {
    validate_reusing(content, current_year, None)
}

/// [`validate`], reusing from `memo` the check of every project file whose text and context
/// have not changed since, and leaving in it this validation's.
pub fn validate_reusing(
    content: &LoadedContent,
    current_year: u16,
    memo: Option<&mut Memo>,
) -> Validated {
    let mut diagnostics = content.diagnostics.clone();
    let medias = crate::media::catalogue(&content.medias);
    let site = match &content.site {
        Some(file) => {
            let mut checker = Checker::new(&file.path);
            let site = validate_site_with_medias(file, &mut checker, &medias);
            diagnostics.append(&mut checker.diagnostics);
            site
        }
        None => default_site(),
    };
    let context = project::ProjectContext {
        site: &site,
        medias: &medias,
        current_year,
    };
    let languages = site.languages();
    let (project_files, project_translation_files): (Vec<&SourceFile>, Vec<&SourceFile>) = content
        .projects
        .iter()
        .partition(|f| translation::translation_of(&f.stem).is_none());
    let (page_files, page_translation_files): (Vec<&SourceFile>, Vec<&SourceFile>) = content
        .pages
        .iter()
        .partition(|f| translation::translation_of(&f.stem).is_none());
    let project_stems: BTreeSet<&str> = project_files.iter().map(|f| f.stem.as_str()).collect();
    let context_hash = memo
        .as_ref()
        .map(|_| context_hash(content, &medias, current_year));
    let reusable = memo
        .as_deref()
        .filter(|memo| Some(memo.context) == context_hash);
    let reused_context = reusable.is_some();
    // Each file's own check (reused when its text is the one checked last time), and its name.
    let checked: Vec<CheckedProject> = project_files
        .par_iter()
        .map(|file| {
            let text_hash = context_hash.map(|_| stable_hash(&file.text));
            let mut checker = Checker::new(&file.path);
            check_slug(
                &mut checker,
                file,
                &project_stems,
                RESERVED_PROJECT_SLUGS,
                "un projet",
            );
            let name = checker.diagnostics;
            let known = reusable
                .and_then(|memo| memo.projects.get(&file.path))
                .filter(|(hash, _, _)| Some(*hash) == text_hash);
            let (project, own) = match known {
                Some((_, project, own)) => (project.clone(), own.clone()),
                None => {
                    let mut checker = Checker::new(&file.path);
                    let project = project::validate_project(file, &context, &mut checker);
                    (project, checker.diagnostics)
                }
            };
            CheckedProject {
                text_hash,
                project,
                name,
                own,
                reused: known.is_some(),
            }
        })
        .collect();
    if let (Some(memo), Some(context)) = (memo, context_hash) {
        memo.context = context;
        // Reused entries stay where they are; the others are replaced, those of files that
        // are gone removed.
        if !reused_context {
            memo.projects.clear();
        }
        let present: HashSet<&str> = project_files.iter().map(|f| f.path.as_str()).collect();
        memo.projects
            .retain(|path, _| present.contains(path.as_str()));
        for (file, c) in project_files.iter().zip(&checked) {
            if let (Some(hash), false) = (c.text_hash, c.reused) {
                let entry = (hash, c.project.clone(), c.own.clone());
                memo.projects.insert(file.path.clone(), entry);
            }
        }
    }
    let mut projects = Vec::new();
    for c in checked {
        let clean = !c.name.iter().chain(&c.own).any(Diagnostic::is_error);
        diagnostics.extend(c.name);
        diagnostics.extend(c.own);
        projects.extend(c.project.filter(|_| clean));
    }
    let mut pages = Vec::new();
    let page_stems: BTreeSet<&str> = page_files.iter().map(|f| f.stem.as_str()).collect();
    for file in &page_files {
        let mut checker = Checker::new(&file.path);
        check_slug(
            &mut checker,
            file,
            &page_stems,
            RESERVED_PAGE_SLUGS,
            "une page",
        );
        let page = validate_page(file, &mut checker);
        let clean = checker.error_count() == 0;
        diagnostics.append(&mut checker.diagnostics);
        pages.extend(page.filter(|_| clean));
    }
    let project_context = translation::TranslationContext {
        languages: &languages,
        originals: &project_stems,
        what: "fiche",
    };
    let project_translations = validate_translations(
        &project_translation_files,
        &project_context,
        translation::validate_project_translation,
        &mut diagnostics,
    );
    let page_context = translation::TranslationContext {
        languages: &languages,
        originals: &page_stems,
        what: "page",
    };
    let page_translations = validate_translations(
        &page_translation_files,
        &page_context,
        translation::validate_page_translation,
        &mut diagnostics,
    );
    check_unique_slugs(&project_files, &mut diagnostics);
    // A project whose file name collides with another's is no longer without errors.
    projects.retain(|p| {
        !diagnostics
            .iter()
            .any(|d| d.is_error() && d.file == p.source)
    });
    diagnostic::sort(&mut diagnostics);
    Validated {
        site,
        projects,
        pages,
        project_translations,
        page_translations,
        diagnostics,
    }
}

/// The translations among `files` (named `<slug>.<language>`) that `validate_one` accepts
/// without an error; every diagnostic goes to `diagnostics`.
fn validate_translations<T>(
    files: &[&SourceFile],
    context: &translation::TranslationContext<'_>,
    validate_one: impl Fn(
        &SourceFile,
        &str,
        &str,
        &translation::TranslationContext<'_>,
        &mut Checker<'_>,
    ) -> Option<T>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut valid = Vec::new();
    for file in files {
        let Some((slug, language)) = translation::translation_of(&file.stem) else {
            continue;
        };
        let mut checker = Checker::new(&file.path);
        let found = validate_one(file, slug, language, context, &mut checker);
        let clean = checker.error_count() == 0;
        diagnostics.append(&mut checker.diagnostics);
        valid.extend(found.filter(|_| clean));
    }
    valid
}

/// Splits a file and parses its front matter; reports problems and returns the root node, the
/// body and the body's first line.
pub(crate) fn parse_document<'f>(
    file: &'f SourceFile,
    checker: &mut Checker<'_>,
) -> Option<(Node, &'f str, usize)> {
    let split = match split_front_matter(&file.text) {
        Ok(split) => split,
        Err((line, message)) => {
            checker.error("en-tete", Pos { line, column: 1 }, "", message);
            return None;
        }
    };
    let parsed = yaml::parse(split.yaml, split.yaml_first_line);
    for problem in parsed.problems {
        checker.error(
            problem.code,
            problem.pos,
            problem.field.as_deref().unwrap_or(""),
            problem.message,
        );
    }
    let root = match parsed.root {
        Some(root) => root,
        None if split.yaml.trim().is_empty() => {
            checker.error(
                "en-tete",
                Pos { line: 1, column: 1 },
                "",
                "l'en-tête YAML est vide : indiquez au moins les champs obligatoires",
            );
            return None;
        }
        None => return None,
    };
    Some((root, split.body, split.body_first_line))
}

/// The file name must be a valid, non-reserved slug; the suggested name is one no other file of
/// the folder (`taken`) already has.
fn check_slug(
    checker: &mut Checker<'_>,
    file: &SourceFile,
    taken: &BTreeSet<&str>,
    reserved: &[&str],
    what: &str,
) {
    let pos = Pos { line: 1, column: 1 };
    if !is_slug(&file.stem) {
        let mut suggestion = crate::text::slugify(&file.stem);
        if !suggestion.is_empty() {
            let base = suggestion.clone();
            let mut n = 2;
            while taken.contains(suggestion.as_str()) || reserved.contains(&suggestion.as_str()) {
                suggestion = format!("{base}-{n}");
                n += 1;
            }
        }
        let hint = if suggestion.is_empty() {
            String::new()
        } else {
            format!(" Renommez-le par exemple « {suggestion}.md ».")
        };
        checker.error(
            "slug",
            pos,
            "",
            format!(
                "le nom de fichier « {}.md » ne peut pas servir d'adresse : seulement des lettres \
                 minuscules sans accent, des chiffres et des tirets simples.{hint}",
                file.stem
            ),
        );
    } else if reserved.contains(&file.stem.as_str()) {
        checker.error(
            "slug",
            pos,
            "",
            format!(
                "« {} » est un nom réservé pour {what} (noms réservés : {}) : renommez le fichier",
                file.stem,
                reserved.join(", ")
            ),
        );
    }
}

/// Two project files must not share a slug (case-insensitive file systems could merge them).
fn check_unique_slugs(files: &[&SourceFile], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for file in files {
        let slug = crate::text::slugify(&file.stem);
        if let Some(first) = seen.get(&slug) {
            let mut checker = Checker::new(&file.path);
            checker.error(
                "slug",
                Pos { line: 1, column: 1 },
                "",
                format!(
                    "ce fichier donnerait la même adresse « projets/{slug}/ » que « {first} » : \
                     renommez l'un des deux"
                ),
            );
            diagnostics.append(&mut checker.diagnostics);
        } else {
            seen.insert(slug, &file.path);
        }
    }
}

#[cfg(test)]
mod tests;
