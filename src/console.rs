//! The console on Windows: Swedish text in cmd.exe and PowerShell, and a
//! window that explains itself instead of flashing by when someone starts
//! the program by double-click. Elsewhere this does nothing.
//!
//! Rust writes to a Windows console as UTF-16, so å, ä and ö show right in
//! the window whatever its code page. The code page still decides how the
//! console shows bytes that another program in it writes, such as `findstr`
//! in `statusrapport check | findstr fel`: for the length of a run it is set
//! to UTF-8, the encoding of everything this program writes, and given back
//! at the end (lines that the other program writes after that may show in
//! the old code page). What PowerShell captures or redirects, it decodes by
//! its own setting; LÄSMIG.txt says how to set that to UTF-8. Colours and
//! the progress bar's cursor moves are switched on by termcolor and
//! indicatif themselves.

/// The console for the length of a run: when dropped, it gives back the
/// code page that was in force before. (Ctrl+C, which ends `watch`, skips
/// the drop: the console then stays at UTF-8, which does no harm.)
pub struct Console {
    /// The code page to give back, if this run changed it.
    earlier_code_page: Option<u32>,
}

impl Console {
    pub fn open() -> Console {
        Console { earlier_code_page: sys::use_utf8() }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(code_page) = self.earlier_code_page {
            sys::restore(code_page);
        }
    }
}

/// Started by double-click with no arguments: says in Swedish what this is
/// and how to use it, and waits for a key, so that the window Explorer made
/// does not close at once. `true` if so.
///
/// Only without arguments: a scheduled task that starts the program itself
/// (not through cmd.exe) also gets a console of its own, and must never
/// wait for a key.
pub fn introduce_on_double_click() -> bool {
    if std::env::args_os().len() > 1 || !sys::own_window() {
        return false;
    }
    print!("{}", introduction());
    println!("\nTryck på valfri tangent för att stänga fönstret.");
    sys::wait_for_key();
    true
}

/// What a person who double-clicked `statusrapport.exe` needs to know: it
/// is a command-line program, how to open a terminal in its folder, and the
/// commands to try first (with the folder names of the release archive).
fn introduction() -> String {
    format!(
        "statusrapport {version}

Månadsrapporter, tjänsteskrivelser och skrivelser i Region Hallands form,
från siffror och kommentarer till tillgängliga PDF-filer.

Det här är ett kommandoradsprogram. Det har inget eget fönster utan körs
från en terminal (Kommandotolken eller PowerShell):

  1. Öppna mappen med statusrapport.exe i Utforskaren.
  2. Skriv cmd i adressfältet och tryck Enter (eller högerklicka i mappen
     och välj Öppna i terminalen).
  3. Skriv ett kommando och tryck Enter, till exempel:

     statusrapport build exempel      bygg exempelrapporterna till mappen ut
     statusrapport check exempel      kontrollera allt utan att skriva något
     statusrapport watch exempel\\statusrapport-2023-09
                                      bygg om rapporten när en fil sparas
     statusrapport new statusrapport min-rapport
                                      starta en ny rapport från en mall
     statusrapport --help             alla kommandon och val

LÄSMIG.txt i samma mapp berättar mer, bland annat hur rapporterna byggs
varje natt med Schemaläggaren. Guiden för den som skriver kommentarer är
dokument\\kommentarer.md.
",
        version = env!("CARGO_PKG_VERSION")
    )
}

#[cfg(windows)]
mod sys {
    use std::io::IsTerminal;

    use windows_sys::Win32::System::Console::{GetConsoleOutputCP, GetConsoleProcessList, SetConsoleOutputCP};

    const CP_UTF8: u32 = 65001;

    /// Sets the console's output code page to UTF-8; the earlier one if it
    /// was changed (none when there is no console or it was UTF-8 already).
    pub fn use_utf8() -> Option<u32> {
        // SAFETY: no arguments but numbers; without a console these fail
        // harmlessly (0).
        let earlier = unsafe { GetConsoleOutputCP() };
        (earlier != 0 && earlier != CP_UTF8 && unsafe { SetConsoleOutputCP(CP_UTF8) } != 0).then_some(earlier)
    }

    pub fn restore(code_page: u32) {
        // SAFETY: a number only.
        unsafe { SetConsoleOutputCP(code_page) };
    }

    /// This process is the only one attached to its console, and a person
    /// can type in it: Explorer made the window for us. From cmd.exe or
    /// PowerShell the shell is attached too; a pipe is no console input.
    pub fn own_window() -> bool {
        let mut processes = [0u32; 2];
        // SAFETY: the buffer holds as many ids as the length given.
        let attached = unsafe { GetConsoleProcessList(processes.as_mut_ptr(), processes.len() as u32) };
        attached == 1 && std::io::stdin().is_terminal()
    }

    pub fn wait_for_key() {
        // An error here (no keyboard after all) only means we do not wait.
        let _ = ::console::Term::stdout().read_key();
    }
}

#[cfg(not(windows))]
mod sys {
    pub fn use_utf8() -> Option<u32> {
        None
    }

    pub fn restore(_code_page: u32) {}

    /// A terminal on Linux or macOS does not close when a program exits.
    pub fn own_window() -> bool {
        false
    }

    pub fn wait_for_key() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_introduction_says_how_to_start_in_swedish() {
        let text = introduction();
        assert!(text.contains("kommandoradsprogram"));
        assert!(text.contains("Skriv cmd i adressfältet"));
        assert!(text.contains("statusrapport build exempel"));
        assert!(text.contains("LÄSMIG.txt"));
        // Fits a default console window of 80 columns without wrapping.
        assert!(text.lines().all(|line| line.chars().count() < 80), "{text}");
    }
}
